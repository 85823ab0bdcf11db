package io.conduit.esb.onboarding;

import io.conduit.esb.support.PersonalDataMask;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PersonalDataMaskTest {

    @Test
    void masksEmailAddressesInFreeText() {
        assertThat(PersonalDataMask.mask("Key (email)=(anna.schmidt@example.com) already exists"))
                .isEqualTo("Key (email)=(a***@example.com) already exists");
    }

    @Test
    void masksNameValuesInJsonAndKeyValueText() {
        String json = "{\"employeeId\":\"E-1\",\"name\":\"Anna Schmidt\",\"displayName\" : \"Anna \\\"A\\\" S\",\"department\":\"SALES\"}";
        assertThat(PersonalDataMask.mask(json))
                .isEqualTo("{\"employeeId\":\"E-1\",\"name\":\"***\",\"displayName\" : \"***\",\"department\":\"SALES\"}");
        assertThat(PersonalDataMask.mask("{emp_no=E-1, full_nm=Anna Schmidt, dept_cd=SALES}"))
                .isEqualTo("{emp_no=E-1, full_nm=***, dept_cd=SALES}");
    }

    @Test
    void leavesOtherTextAlone() {
        assertThat(PersonalDataMask.mask("HR event HR-1 for employee E-10042: NEW")).isEqualTo("HR event HR-1 for employee E-10042: NEW");
        assertThat(PersonalDataMask.mask(null)).isNull();
        assertThat(new PersonalDataMask().format("x@y.org")).isEqualTo("x***@y.org");
    }
}
