package io.conduit.esb.onboarding;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.esb.canonical.CanonicalSchemas;
import io.conduit.esb.canonical.Employee;
import io.conduit.esb.canonical.EmployeeSyncCompleted;
import io.conduit.esb.canonical.EventTypes;
import io.conduit.esb.canonical.JsonSchemas;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The canonical Employee and EmployeeSyncCompleted records against their JSON schemas. */
class EmployeeCanonicalSchemasTest {

    static Employee hire() {
        return new Employee(1, "E-10042", "Anna Schmidt", "anna.schmidt@example.com", "SALES", "Account Executive",
                "E-10001", LocalDate.of(2026, 12, 1), null, Employee.Status.ACTIVE);
    }

    static EmployeeSyncCompleted completed() {
        return new EmployeeSyncCompleted("HR-1", EmployeeSyncCompleted.EventType.HIRE, "E-10042",
                new EmployeeSyncCompleted.Accounts("U0010001", "OA-7", null),
                OffsetDateTime.of(2026, 11, 20, 9, 0, 3, 0, ZoneOffset.UTC));
    }

    @Test
    void recordsAreValidAndRoundTrip() throws Exception {
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.EMPLOYEE), hire())).isEmpty();
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.EMPLOYEE),
                new Employee(1, "E-1", null, null, null, null, null, null, LocalDate.of(2027, 3, 31),
                        Employee.Status.INACTIVE))).isEmpty();
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.EMPLOYEE_SYNC_COMPLETED), completed()))
                .isEmpty();
        assertThat(JsonSchemas.JSON.readValue(JsonSchemas.JSON.writeValueAsString(hire()), Employee.class)).isEqualTo(hire());
        assertThat(CanonicalSchemas.byType(Employee.class)).contains(CanonicalSchemas.EMPLOYEE);
    }

    @Test
    void invalidEmployeesAreRejectedNamingTheField() {
        ObjectNode employee = JsonSchemas.JSON.valueToTree(hire());
        employee.put("department", "Sales dept");
        employee.put("email", "anna");
        employee.put("startDate", "01.12.2026");
        employee.put("schemaVersion", 2);
        var violations = JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.EMPLOYEE), employee).stream()
                .map(v -> v.getInstanceLocation() + " " + v.getMessage()).toList();
        for (String field : new String[]{"department", "email", "startDate", "schemaVersion"}) {
            assertThat(violations).anySatisfy(v -> assertThat(v).contains(field));
        }
    }

    /** The employee id becomes the ERP's emp_no and the OA's login: a path, NUL, emoji or line break is refused. */
    @org.junit.jupiter.params.ParameterizedTest(name = "[{index}] \"{0}\"")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"../../etc/passwd", "E-1\u0000", "E-\uD83D\uDE00",
            "E-1\n", " E-1", "E 1", "E-1/2", "EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE", ""})
    void employeeIdsThatCannotBeALoginAreRejected(String employeeId) {
        ObjectNode employee = JsonSchemas.JSON.valueToTree(hire());
        employee.put("employeeId", employeeId);
        employee.put("managerId", employeeId);
        var violations = JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.EMPLOYEE), employee).stream()
                .map(v -> v.getInstanceLocation() + " " + v.getMessage()).toList();
        assertThat(violations).anySatisfy(v -> assertThat(v).contains("employeeId"));
        assertThat(violations).anySatisfy(v -> assertThat(v).contains("managerId"));
    }

    @Test
    void namesAreBoundedAndFreeOfControlCharacters() {
        ObjectNode employee = JsonSchemas.JSON.valueToTree(hire());
        employee.put("name", "x".repeat(2001));
        employee.put("jobTitle", "Account\u0000Executive");
        var violations = JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.EMPLOYEE), employee).stream()
                .map(v -> v.getInstanceLocation() + " " + v.getMessage()).toList();
        assertThat(violations).anySatisfy(v -> assertThat(v).contains("name"));
        assertThat(violations).anySatisfy(v -> assertThat(v).contains("jobTitle"));

        ObjectNode longest = JsonSchemas.JSON.valueToTree(hire());
        longest.put("employeeId", "E.1_2-" + "9".repeat(26)).put("name", "\u00c5".repeat(200));
        assertThat(JsonSchemas.validate(JsonSchemas.canonical(CanonicalSchemas.EMPLOYEE), longest)).isEmpty();
    }

    @Test
    void eventTypesNameTheirPayloadSchemas() {
        assertThat(EventTypes.payloadSchema(EventTypes.EMPLOYEE_HIRED)).contains(CanonicalSchemas.EMPLOYEE);
        assertThat(EventTypes.payloadSchema(EventTypes.EMPLOYEE_LEFT)).contains(CanonicalSchemas.EMPLOYEE);
        assertThat(EventTypes.payloadSchema(EventTypes.EMPLOYEE_SYNC_COMPLETED))
                .contains(CanonicalSchemas.EMPLOYEE_SYNC_COMPLETED);
    }
}
