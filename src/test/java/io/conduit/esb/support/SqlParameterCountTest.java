package io.conduit.esb.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The parameter count given to sql: endpoints (queries as the endpoint holds them: # already turned into ?). */
class SqlParameterCountTest {

    @Test
    void namedAndPositionalParametersAreCountedOnceEach() {
        assertThat(SqlParameterCount.count("select so_no from erp.so_stage_hdr where ext_ref = :?ext_ref")).isEqualTo(1);
        assertThat(SqlParameterCount.count(
                "insert into t (a, b, c) values (:?a, CAST(:?b AS date), :?${header.stgId})")).isEqualTo(3);
        assertThat(SqlParameterCount.count("update t set a = ? where b = ?")).isEqualTo(2);
        assertThat(SqlParameterCount.count("select 1")).isZero();
    }

    @Test
    void anExpressionIsOneParameterWhateverItHolds() {
        assertThat(SqlParameterCount.count("delete from l where stg_id = :?${header.existing[stg_id]} and x = :?y"))
                .isEqualTo(2);
        assertThat(SqlParameterCount.count("select * from t where a = :?${header.a == 'x?'} and b = :?$simple{body}"))
                .isEqualTo(2);
    }

    @Test
    void questionMarksInLiteralsIdentifiersAndCommentsAreNotParameters() {
        assertThat(SqlParameterCount.count("select '?', \"odd?name\" from t -- why?\n where a = :?a /* b? */"))
                .isEqualTo(1);
        assertThat(SqlParameterCount.count("select 'it''s' || :?a")).isEqualTo(1);
        assertThat(SqlParameterCount.count("select x::text from t where a = :?a")).isEqualTo(1);
    }

    @Test
    void whatCannotBeToldIsLeftToCamel() {
        assertThat(SqlParameterCount.count("select * from t where id in (:?in:ids)")).isEqualTo(-1);
        assertThat(SqlParameterCount.count("select data ?? 'k' from t where a = ?")).isEqualTo(-1);
        assertThat(SqlParameterCount.count("select 'open from t where a = ?")).isEqualTo(-1);
        assertThat(SqlParameterCount.count("select * from t where a = :?${header.a")).isEqualTo(-1);
        assertThat(SqlParameterCount.count(null)).isEqualTo(-1);
    }
}
