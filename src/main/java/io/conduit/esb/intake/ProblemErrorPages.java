package io.conduit.esb.intake;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

/**
 * Every error answer the ESB gives that no route built, problem+json too: Spring's (404, 405, 415, an exception in a
 * controller; Boot's {@code /error} page, replacing {@link ErrorMvcAutoConfiguration}'s HTML or JSON with the request
 * path) and Tomcat's own (400 for a header too long or a malformed request line, answered before any servlet runs,
 * by its {@link ErrorReportValve}, replaced here). None of them echoes the request's path, headers or body.
 */
@Configuration(proxyBeanMethods = false)
public class ProblemErrorPages {

    @RestController
    static class ProblemErrorController implements ErrorController {

        @RequestMapping("${server.error.path:${error.path:/error}}")
        void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            int status = code instanceof Integer i && i >= 400 ? i : 500;
            ProblemResponses.write(response, status, ProblemResponses.body(status, typeOf(status), titleOf(status),
                    status >= 500 ? "The ESB could not answer this request; see its log" : null, null));
        }
    }

    /** Tomcat's error report for requests it refuses itself, as problem+json without any of the request. */
    public static class ProblemErrorReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            try {
                response.setContentType("application/problem+json");
                response.setCharacterEncoding("UTF-8");
                response.getWriter().write(ProblemResponses.body(status, typeOf(status), titleOf(status), null, null)
                        .toString());
                response.finishResponse();
            } catch (IOException | IllegalStateException e) {
                // the connection is gone or the response already started: nothing more to say
            }
        }
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
                        host.getPipeline().removeValve(valve);
                        host.getPipeline().addValve(new ProblemErrorReportValve());
                    }
                }
            }
        });
    }

    static String typeOf(int status) {
        return switch (status) {
            case 400 -> "urn:conduit:problem:bad-request";
            case 401 -> "urn:conduit:problem:unauthenticated";
            case 403 -> "urn:conduit:problem:forbidden";
            case 404 -> "urn:conduit:problem:not-found";
            case 405 -> "urn:conduit:problem:method-not-allowed";
            case 413 -> "urn:conduit:problem:payload-too-large";
            case 415 -> "urn:conduit:problem:unsupported-media-type";
            default -> status >= 500 ? "urn:conduit:problem:server-error" : "urn:conduit:problem:client-error";
        };
    }

    static String titleOf(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "Error " + status : known.getReasonPhrase();
    }
}
