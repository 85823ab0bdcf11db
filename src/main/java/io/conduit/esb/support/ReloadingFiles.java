package io.conduit.esb.support;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * A value read from files IT edits (a decision table, the approval matrix), read again when one of them changed:
 * their modification times are checked at most every {@code checkMs} (0 = on every use). A reload that fails (an
 * edit that breaks the file) is logged and the last good value stays until the files change again. The first load
 * is not caught: a broken file at start fails the start.
 */
public final class ReloadingFiles<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingFiles.class);

    private final String what;
    private final List<Path> files;
    private final long checkMs;
    private final Supplier<T> loader;
    private final ToIntFunction<T> rules;
    private volatile T value;
    private volatile List<FileTime> modified;
    private volatile long lastCheck;

    /**
     * @param what   how the log names it, e.g. "Approval matrix"
     * @param loader reads the files (throws when they are not valid)
     * @param rules  how many rules a loaded value has (for the log)
     */
    public ReloadingFiles(String what, List<Path> files, long checkMs, Supplier<T> loader, ToIntFunction<T> rules) {
        this.what = what;
        this.files = List.copyOf(files);
        this.checkMs = checkMs;
        this.loader = loader;
        this.rules = rules;
        this.modified = modificationTimes();
        this.value = loader.get();
        this.lastCheck = System.currentTimeMillis();
    }

    /** The value of the files as they are now (or as they last were valid). */
    public T current() {
        long now = System.currentTimeMillis();
        if (now - lastCheck >= checkMs) {
            lastCheck = now;
            List<FileTime> times = modificationTimes();
            if (!times.equals(modified)) {
                try {
                    value = loader.get();
                    LOG.info("{} reloaded: {} rule(s)", what, rules.applyAsInt(value));
                } catch (RuntimeException e) {
                    LOG.error("{} not reloaded, keeping the last good version: {}", what, e.getMessage());
                }
                modified = times;
            }
        }
        return value;
    }

    private List<FileTime> modificationTimes() {
        List<FileTime> times = new ArrayList<>();
        for (Path file : files) {
            try {
                times.add(Files.getLastModifiedTime(file));
            } catch (IOException e) {
                times.add(FileTime.fromMillis(-1));
            }
        }
        return times;
    }
}
