package io.conduit.esb.systems;

import java.util.ArrayList;
import java.util.List;

/**
 * One connected system as {@code esb.systems.<name>} declares it: the roles it plays (crm, erp, oa, hr, or any other
 * name), the adapter implementing those roles' ports ({@code adapters/<role>/<adapter>/}), and what health, circuit
 * breaker and console need to know of it (its base URL or datasource, its probe). Further connection settings
 * (credentials, timeouts, product ids) are the adapter's own properties under the same prefix.
 */
public class SystemDeclaration {

    /** The roles this system plays; defaults to the system's own name. */
    private List<String> roles = new ArrayList<>();
    /** The adapter folder under adapters/&lt;role&gt;/ (sandbox, tryton, redmine, ...). */
    private String adapter;
    /** HTTP systems: the URL every call starts with (steps calling it are guarded by its breaker). */
    private String baseUrl;
    /** HTTP probe: a URL answering 2xx while the system is up. */
    private String healthUrl;
    /** Database systems: the DataSource bean its SQL steps use (guarded by its breaker, probed with SELECT 1). */
    private String datasourceBean;
    /** The probe: http (healthUrl), sql (datasourceBean), json-rpc (method, params), or none. */
    private Health health = new Health();
    /** How the adapter reaches the system, in words for the console (derived from the declaration when unset). */
    private String transport;

    public static class Health {
        /** http, sql, json-rpc or none; when unset: http with a healthUrl, sql with a datasourceBean, else none. */
        private String type;
        /** json-rpc: the method called. */
        private String method;
        /** json-rpc: its params, a JSON array. */
        private String params = "[]";

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public String getMethod() {
            return method;
        }

        public void setMethod(String method) {
            this.method = method;
        }

        public String getParams() {
            return params;
        }

        public void setParams(String params) {
            this.params = params;
        }
    }

    /** The probe type, from health.type or what the declaration has. */
    public String probeType() {
        if (health.getType() != null && !health.getType().isBlank()) {
            return health.getType();
        }
        if (healthUrl != null && !healthUrl.isBlank()) {
            return "http";
        }
        return datasourceBean != null && !datasourceBean.isBlank() ? "sql" : "none";
    }

    /**
     * How the adapter reaches the system, as the console shows it: the declared {@code transport}, else what the
     * declaration implies (a JSON-RPC probe, a datasource, a base URL).
     */
    public String transport() {
        if (transport != null && !transport.isBlank()) {
            return transport.trim();
        }
        if ("json-rpc".equals(probeType())) {
            return "JSON-RPC over HTTP";
        }
        if (datasourceBean != null && !datasourceBean.isBlank()) {
            return "SQL over JDBC";
        }
        return baseUrl != null && !baseUrl.isBlank() ? "HTTP" : "not declared";
    }

    public String getTransport() {
        return transport;
    }

    public void setTransport(String transport) {
        this.transport = transport;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getHealthUrl() {
        return healthUrl;
    }

    public void setHealthUrl(String healthUrl) {
        this.healthUrl = healthUrl;
    }

    public String getDatasourceBean() {
        return datasourceBean;
    }

    public void setDatasourceBean(String datasourceBean) {
        this.datasourceBean = datasourceBean;
    }

    public Health getHealth() {
        return health;
    }

    public void setHealth(Health health) {
        this.health = health;
    }

    public List<String> getRoles() {
        return roles;
    }

    public void setRoles(List<String> roles) {
        this.roles = roles;
    }

    public String getAdapter() {
        return adapter;
    }

    public void setAdapter(String adapter) {
        this.adapter = adapter;
    }
}
