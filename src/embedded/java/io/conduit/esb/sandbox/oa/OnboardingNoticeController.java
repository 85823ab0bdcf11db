package io.conduit.esb.sandbox.oa;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** {@code GET /sandbox/oa/api/onboarding-notices?employeeNo=|hrEventId=}: the notices the OA received from the ESB. */
@RestController
@RequestMapping("/sandbox/oa/api/onboarding-notices")
@ConditionalOnProperty(name = "esb.sandbox.enabled", havingValue = "true")
public class OnboardingNoticeController {

    private final OnboardingNoticeRepository notices;

    public OnboardingNoticeController(OnboardingNoticeRepository notices) {
        this.notices = notices;
    }

    @GetMapping
    public List<OnboardingNotice> find(@RequestParam(required = false) String employeeNo,
                                       @RequestParam(required = false) String hrEventId) {
        if (hrEventId != null) {
            return notices.findByHrEventId(hrEventId);
        }
        if (employeeNo != null) {
            return notices.findByEmployeeNo(employeeNo);
        }
        throw io.conduit.esb.sandbox.SandboxProblems.badRequest("Give employeeNo or hrEventId");
    }
}
