package io.conduit.esb.mapping;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves mapping names ({@code crm/opportunity-to-order.jsonata}) against the mappings base: a folder, relative
 * to the working directory or absolute, or {@code classpath:some/folder}. Names may not leave the base.
 */
final class MappingLocator {

    private static final String CLASSPATH = "classpath:";

    private final String base;
    private final Path folder;

    MappingLocator(String base) {
        this.base = base;
        this.folder = base.startsWith(CLASSPATH) ? null : Path.of(base).toAbsolutePath().normalize();
    }

    MappingSource locate(String name) {
        String relative = normalise(name);
        if (folder != null) {
            Path file = folder.resolve(relative).normalize();
            if (!file.startsWith(folder)) {
                throw new MappingException(name, "mapping name leaves the mappings folder " + folder, null);
            }
            if (!Files.isRegularFile(file)) {
                throw MappingSource.notFound(name, file.toString());
            }
            return MappingSource.ofFile(name, file);
        }
        String prefix = base.substring(CLASSPATH.length()).replaceAll("^/+|/+$", "");
        String resourceName = prefix.isEmpty() ? relative : prefix + "/" + relative;
        URL url = classLoader().getResource(resourceName);
        if (url == null) {
            throw MappingSource.notFound(name, CLASSPATH + resourceName);
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return MappingSource.ofFile(name, Path.of(url.toURI()));
            } catch (URISyntaxException e) {
                return MappingSource.ofResource(name, url);
            }
        }
        return MappingSource.ofResource(name, url);
    }

    /** The mappings folder, or null when the base is a {@code classpath:} location. */
    Path folder() {
        return folder;
    }

    String describe() {
        return folder != null ? folder.toString() : base;
    }

    private static String normalise(String name) {
        if (name == null || name.isBlank()) {
            throw new MappingException(String.valueOf(name), "no mapping name given", null);
        }
        String relative = name.replace('\\', '/').replaceAll("^/+", "");
        if (relative.equals("..") || relative.startsWith("../") || relative.contains("/../")) {
            throw new MappingException(name, "mapping name may not contain '..'", null);
        }
        return relative;
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : MappingLocator.class.getClassLoader();
    }
}
