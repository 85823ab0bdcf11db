package io.conduit.esb.sandbox.oa;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /sandbox/oa/api/hr-events}: HR records a hire, change or leave; the OA stores it and publishes it on
 * its HR event queue for the ESB. Answers 201 with the event as published.
 */
@RestController
@RequestMapping("/sandbox/oa/api/hr-events")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class HrEventController {

    private final HrEventPublisher publisher;

    public HrEventController(HrEventPublisher publisher) {
        this.publisher = publisher;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public HrEvent publish(@RequestBody HrEventRequest request) {
        return publisher.publish(request);
    }
}
