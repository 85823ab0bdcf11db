package io.conduit.esb.intake;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A request whose body was read once, within a byte limit, and is served again from memory to whatever comes next
 * (signature check, input gate, the route). The limit is enforced on the bytes actually read, so a chunked body or
 * a false Content-Length cannot get past it.
 */
public final class CachedBodyRequest extends HttpServletRequestWrapper {

    private final byte[] body;
    private final Map<String, String> overrides;

    private CachedBodyRequest(HttpServletRequest request, byte[] body, Map<String, String> overrides) {
        super(request);
        this.body = body;
        this.overrides = overrides;
    }

    /**
     * The same request with one header set by the ESB itself (any value the caller sent under that name is
     * hidden), e.g. the token a route needs to release a signature.
     */
    public CachedBodyRequest withHeader(String name, String value) {
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(overrides);
        headers.put(name, value);
        return new CachedBodyRequest((HttpServletRequest) getRequest(), body, headers);
    }

    /** The same request hiding whatever the caller sent under these names. */
    public CachedBodyRequest withoutHeaders(String... names) {
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(overrides);
        for (String name : names) {
            headers.putIfAbsent(name, null);
        }
        return new CachedBodyRequest((HttpServletRequest) getRequest(), body, headers);
    }

    /** The request with its body read (at most {@code maxBytes}, else 413); the same wrapper if already read. */
    public static CachedBodyRequest of(HttpServletRequest request, int maxBytes) throws IOException {
        if (request instanceof CachedBodyRequest cached) {
            return cached;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes, "declares " + declared + " bytes");
        }
        byte[] buffer = new byte[(int) Math.min(Math.max(declared, 8192), maxBytes + 1L)];
        int length = 0;
        try (InputStream in = request.getInputStream()) {
            int read;
            while ((read = in.read(buffer, length, buffer.length - length)) != -1) {
                length += read;
                if (length > maxBytes) {
                    throw tooLarge(maxBytes, "has more than " + maxBytes + " bytes");
                }
                if (length == buffer.length) {
                    buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(buffer.length * 2L, maxBytes + 1L));
                }
            }
        }
        return new CachedBodyRequest(request, java.util.Arrays.copyOf(buffer, length), Map.of());
    }

    private static ProblemException tooLarge(int maxBytes, String what) {
        return new ProblemException(413, "urn:conduit:problem:payload-too-large", "Payload too large",
                "The body " + what + "; at most " + maxBytes + " are accepted", Map.of("Connection", "close"));
    }

    public byte[] body() {
        return body;
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("the body was already read");
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }

    @Override
    public String getHeader(String name) {
        if (overrides.containsKey(name)) {
            return overrides.get(name);
        }
        return "content-length".equalsIgnoreCase(name) ? String.valueOf(body.length) : super.getHeader(name);
    }

    @Override
    public java.util.Enumeration<String> getHeaders(String name) {
        if (overrides.containsKey(name)) {
            String value = overrides.get(name);
            return java.util.Collections.enumeration(value == null ? java.util.List.of() : java.util.List.of(value));
        }
        return super.getHeaders(name);
    }

    @Override
    public java.util.Enumeration<String> getHeaderNames() {
        java.util.Set<String> names = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (var e = super.getHeaderNames(); e.hasMoreElements(); ) {
            names.add(e.nextElement());
        }
        overrides.forEach((name, value) -> {
            if (value == null) {
                names.remove(name);
            } else {
                names.add(name);
            }
        });
        return java.util.Collections.enumeration(names);
    }
}
