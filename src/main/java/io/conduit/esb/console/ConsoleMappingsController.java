package io.conduit.esb.console;

import io.conduit.esb.mapping.MappingCatalog;
import io.conduit.esb.mapping.MappingWorkbench;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The mapping workbench: {@code /console/mappings} lists the mapping files of the folder the running ESB reads
 * ({@code esb.mappings.dir}) with their fixtures; {@code ?name=<mapping>} shows one: its source (read only), the file
 * to edit on disk, its modification time and whether the ESB already runs that version (the page asks every second,
 * so a saved change shows within a second, see {@link MappingWorkbench#version}). An operator runs the mapping on one
 * of its fixtures or on a pasted payload ({@code POST /console/mappings/run}, with the CSRF token like every console
 * form; a viewer gets 403): input and output checked against the schemas the mapping's header names, the output
 * pretty-printed, and for a fixture the difference to its expected output. Nothing is written or deployed: the file is
 * edited where it lies, and the ESB's hot reload picks it up.
 */
@Controller
@RequestMapping("/console/mappings")
public class ConsoleMappingsController {

    private final MappingWorkbench workbench;
    private final ConsoleFormat format;
    private final int maxPayloadBytes;

    public ConsoleMappingsController(MappingWorkbench workbench, ConsoleFormat format,
                                     @Value("${esb.console.mappings.max-payload-bytes:262144}") int maxPayloadBytes) {
        this.workbench = workbench;
        this.format = format;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @GetMapping
    public String page(@RequestParam(required = false) String name, @RequestParam(required = false) String fixture,
                       Model model, HttpServletResponse response) {
        Optional<MappingCatalog.Entry> mapping = prepare(name, model);
        if (mapping.isEmpty()) {
            if (name != null) {
                response.setStatus(HttpStatus.NOT_FOUND.value());
            }
            return "console/mappings";
        }
        // the editable payload starts as a fixture's input: the one asked for, else the first
        mapping.get().fixtures().stream().filter(f -> fixture == null || f.name().equals(fixture)).findFirst()
                .or(() -> mapping.get().fixtures().stream().findFirst())
                .ifPresent(f -> model.addAttribute("payload", format.pretty(read(f.input()))));
        return "console/mappings";
    }

    /**
     * The source panel again when the file or the version the ESB runs changed since {@code key}; 204 (htmx keeps the
     * panel) when nothing changed. The page asks every second.
     */
    @GetMapping("/version")
    public String version(@RequestParam String name, @RequestParam(required = false) String key, Model model,
                          HttpServletResponse response) {
        MappingCatalog.Entry mapping = workbench.catalog().flatMap(c -> c.find(name)).orElse(null);
        if (mapping == null) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            return null;
        }
        MappingWorkbench.Version version = workbench.version(mapping);
        if (version.key().equals(key)) {
            response.setStatus(HttpStatus.NO_CONTENT.value());
            return null;
        }
        model.addAttribute("mapping", mapping);
        model.addAttribute("version", version);
        model.addAttribute("changed", key != null);
        model.addAttribute("reloadCheckMs", workbench.reloadCheckMillis());
        return "console/mappings :: source";
    }

    /**
     * Runs the mapping on a fixture ({@code fixture}: read from the fixture folder, never from the request) or on the
     * pasted {@code payload}. Operators only; the payload is limited to {@code esb.console.mappings.max-payload-bytes}.
     */
    @PostMapping("/run")
    public String run(@RequestParam String name, @RequestParam(required = false) String fixture,
                      @RequestParam(required = false) String payload, Authentication user,
                      @RequestHeader(name = "HX-Request", required = false) String htmx, HttpServletRequest request,
                      HttpServletResponse response, Model model) {
        ConsoleAccess.requireOperator(user);
        boolean fragment = "true".equals(htmx);
        Optional<MappingCatalog.Entry> mapping = prepare(name, model);
        if (mapping.isEmpty()) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            return fragment ? "console/mappings :: runResult" : "console/mappings";
        }
        MappingCatalog.Entry entry = mapping.get();
        String blank = ConsoleForms.blankToNull(fixture);
        MappingWorkbench.Run run;
        if (blank != null) {
            Optional<MappingCatalog.Fixture> found = entry.fixture(blank);
            if (found.isEmpty()) {
                response.setStatus(HttpStatus.NOT_FOUND.value());
                model.addAttribute("runError", "The mapping has no fixture '" + blank + "'.");
                return fragment ? "console/mappings :: runResult" : "console/mappings";
            }
            run = workbench.run(entry, found.get());
        } else {
            // form encoding takes at most 3 bytes per byte of payload: a request longer than that cannot be within the
            // limit (and one far beyond it would not even be parsed by the server)
            long bytes = payload == null ? 0 : payload.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxPayloadBytes || request.getContentLengthLong() > 3L * maxPayloadBytes + 8192) {
                response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE.value());
                model.addAttribute("runError", "The payload is too large: the workbench runs payloads of at most "
                        + maxPayloadBytes + " bytes (esb.console.mappings.max-payload-bytes).");
                return fragment ? "console/mappings :: runResult" : "console/mappings";
            }
            run = workbench.run(entry, payload);
        }
        model.addAttribute("run", run);
        model.addAttribute("payload", run.input());
        return fragment ? "console/mappings :: runResult" : "console/mappings";
    }

    /** The list, and the mapping asked for with its current version; empty when there is none of that name. */
    private Optional<MappingCatalog.Entry> prepare(String name, Model model) {
        Optional<MappingCatalog> catalog = workbench.catalog();
        model.addAttribute("available", catalog.isPresent());
        model.addAttribute("base", workbench.base());
        model.addAttribute("maxPayloadBytes", maxPayloadBytes);
        model.addAttribute("reloadCheckMs", workbench.reloadCheckMillis());
        model.addAttribute("name", name);
        if (catalog.isEmpty()) {
            model.addAttribute("systems", Map.of());
            return Optional.empty();
        }
        List<MappingCatalog.Entry> all = catalog.get().list();
        Map<String, List<MappingCatalog.Entry>> bySystem = new TreeMap<>();
        for (MappingCatalog.Entry entry : all) {
            bySystem.computeIfAbsent(entry.system(), s -> new ArrayList<>()).add(entry);
        }
        model.addAttribute("systems", bySystem);
        model.addAttribute("mappingCount", all.size());
        model.addAttribute("fixtureCount", all.stream().mapToInt(e -> e.fixtures().size()).sum());
        if (name == null) {
            return Optional.empty();
        }
        Optional<MappingCatalog.Entry> mapping = catalog.get().find(name);
        mapping.ifPresent(entry -> {
            model.addAttribute("mapping", entry);
            model.addAttribute("version", workbench.version(entry));
        });
        return mapping;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
