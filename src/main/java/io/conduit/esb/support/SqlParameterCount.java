package io.conduit.esb.support;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.spi.EndpointStrategy;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Gives every {@code sql:} endpoint of the route files its number of parameters, counted from its query, so that
 * Camel's SQL producer does not ask the database for it on every call.
 * <p>
 * Without {@code parametersCount} Camel calls {@code PreparedStatement.getParameterMetaData()} before each
 * statement, and the PostgreSQL driver answers that with a round trip of its own to the server (a describe of the
 * statement), on every call, not once: the order handoff's ERP write paid five extra round trips per order, and
 * the benchmark's simple flow spent 3 % of the ESB's CPU there (bench/profile.sh). A route file may still set
 * {@code parametersCount} itself; this only fills it in where it is 0.
 * <p>
 * The count follows what Camel's SQL component binds: by the time the endpoint exists, its placeholder {@code #}
 * has become {@code ?}, so a named parameter {@code :#name} or {@code :#${expression}} reads {@code :?name} or {@code :?${expression}} and a
 * positional one {@code ?}; each is one parameter. Question marks inside string literals, quoted identifiers and
 * comments are not parameters. Left to Camel's own question (count 0) are the queries this cannot count for sure: a
 * {@code :#in:} list (its length is the message's), a doubled {@code ??}, an unterminated literal or expression,
 * the query taken from the message body, and queries without any parameter (nothing to save: Camel binds none).
 * <p>
 * A route that swaps the query at run time with the {@code CamelSqlQuery} header gets the count of the endpoint's own
 * query, not of the swapped one: give such an endpoint a query without parameters (e.g. {@code sql:select 1}), and
 * Camel asks the database as before. No route or adapter file of the product does this.
 */
@Configuration(proxyBeanMethods = false)
public class SqlParameterCount {

    @Bean
    CamelContextConfiguration sqlParameterCounts() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                context.getCamelContextExtension().registerEndpointCallback(new CountingStrategy());
            }

            @Override
            public void afterApplicationStart(CamelContext context) {
            }
        };
    }

    static final class CountingStrategy implements EndpointStrategy {
        @Override
        public Endpoint registerEndpoint(String uri, Endpoint endpoint) {
            if (endpoint instanceof SqlEndpoint sql && sql.getParametersCount() == 0 && !sql.isUseMessageBodyForSql()) {
                int count = count(sql.getQuery());
                if (count > 0) {
                    sql.setParametersCount(count);
                }
            }
            return endpoint;
        }
    }

    /**
     * The number of parameters Camel binds for this query (placeholders already turned into {@code ?}), or -1 when
     * it cannot be told from the text.
     */
    public static int count(String query) {
        if (query == null) {
            return -1;
        }
        int count = 0;
        int i = 0;
        int n = query.length();
        while (i < n) {
            char c = query.charAt(i);
            if (c == '\'' || c == '"') {
                int end = query.indexOf(c, i + 1);
                if (end < 0) {
                    return -1;
                }
                i = end + 1;
            } else if (c == '-' && i + 1 < n && query.charAt(i + 1) == '-') {
                int end = query.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && query.charAt(i + 1) == '*') {
                int end = query.indexOf("*/", i + 2);
                if (end < 0) {
                    return -1;
                }
                i = end + 2;
            } else if (c == '?') {
                if (i + 1 < n && query.charAt(i + 1) == '?') {
                    return -1;
                }
                boolean named = i > 0 && query.charAt(i - 1) == ':';
                if (named && query.startsWith("in:", i + 1)) {
                    return -1;
                }
                count++;
                i++;
                if (named && (query.startsWith("${", i) || query.startsWith("$simple{", i))) {
                    // a simple expression: one parameter, whatever quotes or question marks it holds; it ends at the
                    // first closing brace, as Camel's own pattern reads it
                    int end = query.indexOf('}', i);
                    if (end < 0) {
                        return -1;
                    }
                    i = end + 1;
                }
            } else {
                i++;
            }
        }
        return count;
    }
}
