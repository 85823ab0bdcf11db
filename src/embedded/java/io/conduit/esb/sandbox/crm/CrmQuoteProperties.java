package io.conduit.esb.sandbox.crm;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;

/**
 * {@code esb.sandbox.crm.quotes.*}: the sandbox CRM's own rule for quotes that need sales management's approval.
 *
 * @param maxDiscountPercent a discount above this (percent of the list total) needs approval (default 10)
 * @param minMarginPercent   a margin below this (percent of the net total) needs approval (default 15)
 */
@ConfigurationProperties("esb.sandbox.crm.quotes")
public record CrmQuoteProperties(@DefaultValue("10") BigDecimal maxDiscountPercent,
                                 @DefaultValue("15") BigDecimal minMarginPercent) {
}
