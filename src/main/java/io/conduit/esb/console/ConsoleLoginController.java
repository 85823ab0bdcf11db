package io.conduit.esb.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The form login page of the console ({@code GET /login}); the security configuration handles {@code POST /login}. */
@Controller
public class ConsoleLoginController {

    @GetMapping("/login")
    public String login() {
        return "login";
    }
}
