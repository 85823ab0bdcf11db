package io.conduit.esb.systems;

import java.util.ArrayList;
import java.util.List;

/**
 * One connected system as {@code esb.systems.<name>} declares it, as far as choosing its adapter needs: the roles
 * it plays (crm, erp, oa, hr, or any other name) and the adapter implementing those roles' ports
 * ({@code adapters/<role>/<adapter>/}). Connection settings (base URL, datasource, credentials, timeouts) are the
 * adapter's own properties under the same prefix.
 */
public class SystemDeclaration {

    /** The roles this system plays; defaults to the system's own name. */
    private List<String> roles = new ArrayList<>();
    /** The adapter folder under adapters/&lt;role&gt;/ (sandbox, tryton, redmine, ...). */
    private String adapter;

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
