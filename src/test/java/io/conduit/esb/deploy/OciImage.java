package io.conduit.esb.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * An OCI image layout tarball as Jib's {@code buildTar} writes it (oci-layout, index.json, blobs/sha256/...), read
 * without any container tooling: its manifest, its config and each layer's entries. Hand-written (a tar header is
 * 512 bytes of fixed fields; GNU long names and PAX paths are the only extensions the two writers here use) rather
 * than adding an archive library for a test.
 */
final class OciImage {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One file, folder or link in a layer. */
    record Entry(String path, char type, int mode, int uid, int gid, String linkTarget, byte[] content) {
        boolean isDirectory() {
            return type == '5';
        }

        boolean isFile() {
            return type == '0' || type == 0;
        }
    }

    /** A layer: its history comment ("dependencies", "classes", ...) and its entries by path (without a leading /). */
    record Layer(String comment, Map<String, Entry> entries) {
    }

    final JsonNode index;
    final JsonNode manifest;
    final JsonNode config;
    final List<Layer> layers = new ArrayList<>();

    private OciImage(Map<String, byte[]> files) throws IOException {
        index = JSON.readTree(required(files, "index.json"));
        manifest = JSON.readTree(blob(files, index.path("manifests").path(0).path("digest").asText()));
        config = JSON.readTree(blob(files, manifest.path("config").path("digest").asText()));
        List<String> comments = new ArrayList<>();
        config.path("history").forEach(h -> {
            if (!h.path("empty_layer").asBoolean(false)) {
                comments.add(h.path("comment").asText(h.path("created_by").asText()));
            }
        });
        int i = 0;
        for (JsonNode layer : manifest.path("layers")) {
            byte[] bytes = blob(files, layer.path("digest").asText());
            InputStream in = layer.path("mediaType").asText().endsWith("gzip")
                    ? new GZIPInputStream(new ByteArrayInputStream(bytes)) : new ByteArrayInputStream(bytes);
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Entry e : readTar(in)) {
                entries.put(e.path(), e);
            }
            layers.add(new Layer(i < comments.size() ? comments.get(i) : "", entries));
            i++;
        }
    }

    static OciImage read(Path tarball) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream in = Files.newInputStream(tarball)) {
            for (Entry e : readTar(in)) {
                if (e.isFile()) {
                    files.put(e.path(), e.content());
                }
            }
        }
        return new OciImage(files);
    }

    /** The entry at this path in the topmost layer that has it (later layers win, as in a container). */
    Entry find(String path) {
        String p = strip(path);
        for (int i = layers.size() - 1; i >= 0; i--) {
            Entry e = layers.get(i).entries().get(p);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /** Writes every layer, in order, into a folder: the container's root file system. */
    void extractTo(Path root) throws IOException {
        for (Layer layer : layers) {
            for (Entry e : layer.entries().values()) {
                Path target = root.resolve(e.path());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.type() == '2') {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(e.linkTarget()));
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.write(target, e.content());
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(permissions(e.mode())));
                }
            }
        }
    }

    String env(String name) {
        for (JsonNode e : config.path("config").path("Env")) {
            if (e.asText().startsWith(name + "=")) {
                return e.asText().substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String permissions(int mode) {
        String rwx = "rwxrwxrwx";
        StringBuilder s = new StringBuilder();
        for (int bit = 8; bit >= 0; bit--) {
            s.append((mode & (1 << bit)) != 0 ? rwx.charAt(8 - bit) : '-');
        }
        return s.toString();
    }

    private static byte[] blob(Map<String, byte[]> files, String digest) {
        return required(files, "blobs/" + digest.replace(':', '/'));
    }

    private static byte[] required(Map<String, byte[]> files, String name) {
        byte[] b = files.get(name);
        if (b == null) {
            throw new IllegalStateException("not in the image tarball: " + name);
        }
        return b;
    }

    private static String strip(String path) {
        String p = path.startsWith("./") ? path.substring(2) : path;
        p = p.startsWith("/") ? p.substring(1) : p;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static List<Entry> readTar(InputStream in) throws IOException {
        List<Entry> entries = new ArrayList<>();
        String longName = null;
        String longLink = null;
        while (true) {
            byte[] header = in.readNBytes(512);
            if (header.length < 512 || header[0] == 0) {
                return entries;
            }
            String name = text(header, 0, 100);
            int mode = (int) octal(header, 100, 8);
            int uid = (int) octal(header, 108, 8);
            int gid = (int) octal(header, 116, 8);
            long size = octal(header, 124, 12);
            char type = (char) header[156];
            String link = text(header, 157, 100);
            String prefix = text(header, 345, 155);
            if ("ustar".equals(text(header, 257, 5)) && !prefix.isEmpty() && header[262] == 0) {
                name = prefix + "/" + name;
            }
            byte[] content = in.readNBytes((int) size);
            in.skipNBytes((512 - size % 512) % 512);
            switch (type) {
                case 'L' -> longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                case 'K' -> longLink = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                case 'x' -> {
                    for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
                        int sp = line.indexOf(' ');
                        if (sp > 0 && line.startsWith("path=", sp + 1)) {
                            longName = line.substring(sp + 6);
                        } else if (sp > 0 && line.startsWith("linkpath=", sp + 1)) {
                            longLink = line.substring(sp + 10);
                        }
                    }
                }
                case 'g' -> {
                }
                default -> {
                    String path = strip(longName != null ? longName : name);
                    if (!path.isEmpty() && !".".equals(path)) {
                        entries.add(new Entry(path, type, mode, uid, gid, longLink != null ? longLink : link, content));
                    }
                    longName = null;
                    longLink = null;
                }
            }
        }
    }

    private static String text(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
        String s = text(b, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}
