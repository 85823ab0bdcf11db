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

    private CachedBodyRequest(HttpServletRequest request, byte[] body) {
        super(request);
        this.body = body;
    }

    /** The request with its body read (at most {@code maxBytes}, else 413); the same wrapper if already read. */
    public static CachedBodyRequest of(HttpServletRequest request, int maxBytes) throws IOException {
        if (request instanceof CachedBodyRequest cached) {
            return cached;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            // a body declared not much larger is left to Tomcat to read and discard after the answer (up to its
            // maxSwallowSize, 2 MiB), so a sender still writing it gets the 413 instead of a reset connection; a
            // larger one is cut off with the connection
            return throwTooLarge(maxBytes, "declares " + declared + " bytes", declared > SWALLOWED_BYTES);
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
        return new CachedBodyRequest(request, java.util.Arrays.copyOf(buffer, length));
    }

    /** What Tomcat reads and discards of an unread body to keep the connection (its default maxSwallowSize). */
    static final long SWALLOWED_BYTES = 2L * 1024 * 1024;

    private static CachedBodyRequest throwTooLarge(int maxBytes, String what, boolean closeConnection) {
        throw new ProblemException(413, "urn:conduit:problem:payload-too-large", "Payload too large",
                "The body " + what + "; at most " + maxBytes + " are accepted",
                closeConnection ? Map.of("Connection", "close") : Map.of());
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
        return "content-length".equalsIgnoreCase(name) ? String.valueOf(body.length) : super.getHeader(name);
    }
}
