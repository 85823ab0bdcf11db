package io.conduit.esb.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Where a mapping's text comes from: a file (which can change, so it has a {@link Stamp}) or a classpath resource
 * inside a jar (which cannot).
 */
record MappingSource(String name, Path file, URL resource) {

    /** What tells one version of a mapping file from another: its last-modified time and size. */
    record Stamp(long lastModifiedMillis, long size) {
        static final Stamp FIXED = new Stamp(-1, -1);
    }

    static MappingSource ofFile(String name, Path file) {
        return new MappingSource(name, file, null);
    }

    static MappingSource ofResource(String name, URL resource) {
        return new MappingSource(name, null, Objects.requireNonNull(resource));
    }

    /** The file's current stamp. @throws MappingException if the file is gone */
    Stamp stamp() {
        if (file == null) {
            return Stamp.FIXED;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime().toMillis(), attributes.size());
        } catch (NoSuchFileException e) {
            throw notFound(name, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read attributes of mapping file " + file, e);
        }
    }

    String read() {
        try {
            if (file != null) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            try (InputStream in = resource.openStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (NoSuchFileException e) {
            throw notFound(name, location());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read mapping " + location(), e);
        }
    }

    String location() {
        return file != null ? file.toString() : resource.toString();
    }

    static MappingException notFound(String name, String location) {
        return new MappingException(name, "mapping file not found: " + location, null);
    }
}
