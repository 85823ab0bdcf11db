package io.conduit.esb.partner;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts the partners' HMAC secrets at rest with AES-256-GCM under the master key {@code esb.partner.master-key}.
 * The secret cannot be stored as a hash: verifying an HMAC signature needs the secret itself. The key id is bound
 * as associated data, so a ciphertext copied to another key's row does not decrypt. Stored form: 12-byte IV then
 * ciphertext with the 16-byte tag. Written by hand on the JDK's own {@code javax.crypto}: a library would add
 * nothing for one cipher call.
 */
@Component
public class SecretBox {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(@Value("${esb.partner.master-key}") String masterKeyBase64) {
        byte[] raw = Base64.getDecoder().decode(masterKeyBase64.trim());
        if (raw.length != 32) {
            throw new IllegalStateException("esb.partner.master-key must be 32 bytes, base64-encoded (AES-256); it has " + raw.length);
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    public byte[] encrypt(String keyId, String secret) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a partner secret", e);
        }
    }

    public byte[] decrypt(String keyId, byte[] stored) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, IV_BYTES));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(stored, IV_BYTES, stored.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt the secret of key " + keyId + " (wrong master key?)", e);
        }
    }
}
