package io.conduit.esb.sandbox.fault;

/**
 * The fault switch of one simulated system ({@code crm}, {@code erp} or {@code oa}), driven by the admin
 * endpoint {@code /sandbox/{system}/admin/faults}. CRM and OA keep their state in memory; the ERP keeps it in
 * its own database because the ESB reaches the ERP only through JDBC.
 */
public interface FaultControl {

    /** The path segment of this system under {@code /sandbox/}. */
    String system();

    /** The fault state now in force. */
    FaultSettings current();

    /**
     * Puts {@code requested} into force after {@link FaultSettings#normalized() normalizing} it.
     *
     * @return the state now in force
     * @throws IllegalArgumentException when the request is invalid
     */
    FaultSettings apply(FaultSettings requested);
}
