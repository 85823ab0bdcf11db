package io.conduit.esb.journal;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.FileSystemResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A flow's journal settings live beside its route file, outside the jar: {@code <routes dir>/<flow>.journal.yaml}
 * with {@code steps} (step id -> hop, target, target-id; ids with dots in brackets, {@code "[flow.step]"}) and
 * {@code keys} (business key -> expressions), the flow being the routes' group and the file's name. They are merged
 * into {@code esb.journal.steps} and {@code esb.journal.flows.<flow>.keys}; what the configuration itself sets for the
 * same step or key wins, so a deployment can still override one entry in its config folder or environment.
 * <p>
 * Read by Spring's own YAML loader and binder (so the files follow the same rules as application.yaml), once at
 * start: a changed journal file takes effect at the next start, while route files reload live.
 */
public final class FlowJournalFiles {

    public static final String SUFFIX = ".journal.yaml";

    private FlowJournalFiles() {
    }

    /** Merges every journal file of the folder into the settings; a file that cannot be read fails, naming it. */
    public static void mergeInto(JournalProperties settings, Path routesDir) {
        for (Path file : files(routesDir)) {
            mergeFile(settings, file);
        }
    }

    /** Merges one flow's journal file ({@code <flow>.journal.yaml}) into the settings. */
    public static void mergeFile(JournalProperties settings, Path file) {
        String flow = file.getFileName().toString();
        flow = flow.substring(0, flow.length() - SUFFIX.length());
        Binder binder = binder(file);
        Map<String, JournalProperties.StepSetting> steps;
        Map<String, List<String>> keys;
        try {
            steps = binder.bind("steps", Bindable.mapOf(String.class, JournalProperties.StepSetting.class))
                    .orElse(Map.of());
            keys = binder.bind("keys", keysType()).orElse(Map.of());
        } catch (RuntimeException e) {
            throw new IllegalStateException("the journal file " + file + " is not valid: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        steps.forEach(settings.getSteps()::putIfAbsent);
        JournalProperties.FlowSetting flowSetting = settings.getFlows()
                .computeIfAbsent(flow, f -> new JournalProperties.FlowSetting());
        keys.forEach(flowSetting.getKeys()::putIfAbsent);
    }

    @SuppressWarnings("unchecked")
    private static Bindable<Map<String, List<String>>> keysType() {
        return (Bindable<Map<String, List<String>>>) (Bindable<?>) Bindable.of(ResolvableType.forClassWithGenerics(
                Map.class, ResolvableType.forClass(String.class), ResolvableType.forClassWithGenerics(List.class, String.class)));
    }

    static List<Path> files(Path dir) {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            found.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the flows' journal files in " + dir, e);
        }
        files.sort(null);
        return files;
    }

    private static Binder binder(Path file) {
        try {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader()
                    .load("journal settings " + file, new FileSystemResource(file));
            return new Binder(ConfigurationPropertySources.from(sources));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the journal file " + file + ": " + e.getMessage(), e);
        }
    }
}
