package io.conduit.esb.intake;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The intake's security and input limits ({@code esb.intake}, file {@code config/intake.yaml}): which machine
 * sources may post to which paths with which credentials, and the input gate every request body passes.
 */
@ConfigurationProperties("esb.intake")
public class IntakeProperties {

    /** Largest request body, in bytes, counted on the bytes actually read (chunked bodies included); 413 above. */
    private int maxBodyBytes = 262_144;
    /** Deepest nesting of JSON objects and arrays; 400 above. */
    private int maxNestingDepth = 32;
    /** Longest JSON number, in characters; 400 above (the schemas then check each number's range). */
    private int maxNumberLength = 40;
    /** Media types a request body may have (anything else: 415). */
    private List<String> acceptedMediaTypes = new ArrayList<>(List.of("application/json"));
    /** How far (seconds) a signature's X-Timestamp may be from the ESB's clock; a signature is single-use within it. */
    private long replayWindowSeconds = 300;
    /** The systems that post to the ESB, by name (crm, hr, ...). */
    private Map<String, Source> sources = new LinkedHashMap<>();

    public int getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public int getMaxNestingDepth() {
        return maxNestingDepth;
    }

    public void setMaxNestingDepth(int maxNestingDepth) {
        this.maxNestingDepth = maxNestingDepth;
    }

    public int getMaxNumberLength() {
        return maxNumberLength;
    }

    public void setMaxNumberLength(int maxNumberLength) {
        this.maxNumberLength = maxNumberLength;
    }

    public List<String> getAcceptedMediaTypes() {
        return acceptedMediaTypes;
    }

    public void setAcceptedMediaTypes(List<String> acceptedMediaTypes) {
        this.acceptedMediaTypes = acceptedMediaTypes;
    }

    public long getReplayWindowSeconds() {
        return replayWindowSeconds;
    }

    public void setReplayWindowSeconds(long replayWindowSeconds) {
        this.replayWindowSeconds = replayWindowSeconds;
    }

    public Map<String, Source> getSources() {
        return sources;
    }

    public void setSources(Map<String, Source> sources) {
        this.sources = sources;
    }

    /** How a source proves who it is. */
    public enum Auth {
        /** {@code X-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Timestamp>.<body>")>}, single-use, timestamped. */
        HMAC,
        /** {@code Authorization: Bearer <token>}, compared by its SHA-256 digest with the configured digests. */
        BEARER
    }

    /** One system that posts to the ESB. */
    public static class Source {
        /** Request paths (Ant patterns, e.g. /api/v1/crm/webhooks/**) that only this source may call. */
        private List<String> paths = new ArrayList<>();
        /** hmac or bearer. */
        private Auth auth = Auth.HMAC;
        /**
         * HMAC secrets by key id. Several at once during a rotation: the sender names its key in X-Key-Id, or every
         * key is tried. An empty secret disables that key.
         */
        private Map<String, String> keys = new LinkedHashMap<>();
        /** Bearer tokens by name, each as {@code sha256:<hex digest of the token>}; the tokens themselves are never stored. */
        private Map<String, String> tokens = new LinkedHashMap<>();

        public List<String> getPaths() {
            return paths;
        }

        public void setPaths(List<String> paths) {
            this.paths = paths;
        }

        public Auth getAuth() {
            return auth;
        }

        public void setAuth(Auth auth) {
            this.auth = auth;
        }

        public Map<String, String> getKeys() {
            return keys;
        }

        public void setKeys(Map<String, String> keys) {
            this.keys = keys;
        }

        public Map<String, String> getTokens() {
            return tokens;
        }

        public void setTokens(Map<String, String> tokens) {
            this.tokens = tokens;
        }
    }
}
