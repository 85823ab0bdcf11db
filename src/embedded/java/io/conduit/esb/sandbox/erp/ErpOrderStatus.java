package io.conduit.esb.sandbox.erp;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The status codes ({@code stat_cd}) of an ERP sales order. */
public enum ErpOrderStatus {
    NEW("new, not yet released"),
    REL("released"),
    PRD("in production"),
    SHP("shipped"),
    DLV("delivered"),
    CNL("cancelled"),
    REJ("rejected");

    private final String description;

    ErpOrderStatus(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** @throws IllegalArgumentException naming the valid codes when {@code code} is none of them */
    public static ErpOrderStatus parse(String code) {
        return Arrays.stream(values()).filter(s -> s.name().equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown ERP status code '" + code + "', expected one of "
                        + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "))));
    }
}
