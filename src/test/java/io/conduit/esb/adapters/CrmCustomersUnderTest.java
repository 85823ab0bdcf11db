package io.conduit.esb.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.function.Supplier;

/**
 * One CRM adapter under the contract tests of ports {@code crm.customers-since} and {@code crm.apply-customer-terms}:
 * the ports, and what the CRM's salespeople do with accounts.
 */
interface CrmCustomersUnderTest {

    String name();

    /** Calls port crm.customers-since with the watermark (null: nothing read yet); the port's result. */
    JsonNode customersSince(String watermark) throws Exception;

    /** Calls port crm.apply-customer-terms with a canonical Customer of source erp; the port's result. */
    JsonNode applyTerms(String customer) throws Exception;

    /** A salesperson creates an account with a billing address in the city and one contact; its number. */
    String createAccount(String legalName, String taxId, String city, String email) throws Exception;

    /** A salesperson renames the account (a new revision). */
    void rename(String accountNo, String legalName) throws Exception;

    /** A salesperson deactivates the account. */
    void deactivate(String accountNo) throws Exception;

    /** Sales merge the duplicate account into the one they keep (one customer, two accounts). */
    void merge(String keptAccountNo, String duplicateAccountNo) throws Exception;

    /**
     * A salesperson tries to set the credit limit in the CRM (owned by the ERP): whether the CRM refused it, naming
     * the field.
     */
    boolean refusesCreditLimitEdit(String accountNo) throws Exception;

    /** The account as the CRM holds it. */
    Account account(String accountNo) throws Exception;

    /** Runs the action while the CRM cannot be reached. */
    <T> T whileDown(Supplier<T> action) throws Exception;

    /** An account as the CRM shows it: the sales fields with their revision, and the ERP's side. */
    record Account(String legalName, String taxId, boolean active, int revision, String erpCustomerNumber,
                   BigDecimal creditLimit, String paymentTerms, Boolean blocked, Long erpVersion) {
    }
}
