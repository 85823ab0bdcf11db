package io.conduit.esb.partner;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Web plumbing of the partner API: the admin token filter on {@code /api/v1/partner/admin/*}, the OpenAPI document
 * ({@code classpath:openapi/partner-api.yaml} at {@code /openapi/partner-api.yaml}) and its Swagger UI at
 * {@code /partner-api/} (the swagger-ui webjar, served statically; {@code classpath:static/partner-api/index.html}
 * points it at the document).
 */
@Configuration(proxyBeanMethods = false)
public class PartnerWebConfiguration implements WebMvcConfigurer {

    @Bean
    public FilterRegistrationBean<PartnerAdminAuthFilter> partnerAdminAuth(@Value("${esb.partner.admin-token}") String token) {
        FilterRegistrationBean<PartnerAdminAuthFilter> registration = new FilterRegistrationBean<>(new PartnerAdminAuthFilter(token));
        registration.addUrlPatterns("/api/v1/partner/admin/*");
        registration.setName("partnerAdminAuth");
        return registration;
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/openapi/**").addResourceLocations("classpath:/openapi/");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/partner-api", "/partner-api/index.html");
        registry.addRedirectViewController("/partner-api/", "/partner-api/index.html");
    }
}
