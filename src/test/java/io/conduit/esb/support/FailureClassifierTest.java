package io.conduit.esb.support;

import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.UncategorizedSQLException;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which database failures park a message at once and which are retried, by SQLState, however wrapped. */
class FailureClassifierTest {

    private final FailureClassifier failures = new FailureClassifier();

    @ParameterizedTest(name = "{0} {1}: permanent={2}")
    @CsvSource({
            // class 22 data exception: the value does not fit the column
            "22021, invalid byte sequence (NUL in text),  true",
            "22003, numeric value out of range,            true",
            "22001, string data right truncation,          true",
            "22P02, invalid text representation,           true",
            "22007, invalid datetime format,               true",
            "22008, datetime field overflow,               true",
            // class 23 integrity constraint violation
            "23502, not null violation,                    true",
            "23503, foreign key violation,                 true",
            "23514, check violation,                       true",
            "23000, integrity constraint violation,        true",
            // ... except what concurrent idempotent writers of the same key cause
            "23505, unique violation,                      false",
            "23P01, exclusion violation,                   false",
            // transient
            "08006, connection failure,                    false",
            "08001, unable to connect,                     false",
            "40001, serialization failure,                 false",
            "40P01, deadlock detected,                     false",
            "55P03, lock not available (lock timeout),     false",
            "57014, query canceled (statement timeout),    false",
            "53300, too many connections,                  false",
            "58030, io error (sandbox ERP fault),          false",
            "25P02, in failed sql transaction,             false",
            // class 42: configuration, not the message's fault - retried
            "42501, insufficient privilege,                false",
            "42703, undefined column,                      false",
            "42P01, undefined table,                       false",
            "42601, syntax error,                          false"})
    void sqlStates(String sqlState, String meaning, boolean permanent) {
        assertThat(FailureClassifier.permanentSqlState(sqlState)).as(meaning).isEqualTo(permanent);
        assertThat(failures.permanent(new SQLException("ERROR: " + meaning, sqlState))).as(meaning).isEqualTo(permanent);
    }

    @Test
    void aMissingOrMalformedSqlStateIsNotPermanent() {
        assertThat(FailureClassifier.permanentSqlState(null)).isFalse();
        assertThat(FailureClassifier.permanentSqlState("22")).isFalse();
        assertThat(failures.permanent(new SQLException("no state"))).isFalse();
    }

    @Test
    void theDatabaseAnswerIsFoundThroughWrappers() {
        SQLException outOfRange = new SQLException("ERROR: integer out of range", "22003");
        // camel-sql (Spring JdbcTemplate) -> sub-route without error handler -> TransactionScope (checked: wrapped)
        DataIntegrityViolationException spring = new DataIntegrityViolationException(
                "PreparedStatementCallback; SQL [insert into erp.so_stage_hdr ...]; " + outOfRange.getMessage(), outOfRange);
        RuntimeCamelException camel = new RuntimeCamelException(spring);

        assertThat(failures.permanent(spring)).isTrue();
        assertThat(failures.permanent(camel)).isTrue();
        assertThat(FailureClassifier.databaseFailure(camel)).containsSame(outOfRange);
        assertThat(FailureClassifier.sqlState(camel)).contains("22003");
    }

    @Test
    void aBatchErrorIsJudgedByTheStatementsOwnError() {
        SQLException nul = new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 insert into erp.so_stage_line ... was aborted",
                null, new int[0]);
        batch.setNextException(nul);
        UncategorizedSQLException spring = new UncategorizedSQLException("PreparedStatementCallback", "insert ...", batch);

        assertThat(failures.permanent(spring)).isTrue();
        assertThat(FailureClassifier.databaseFailure(spring)).containsSame(nul);
    }

    @Test
    void retriableWrappedFailuresStayRetriable() {
        assertThat(failures.permanent(new DuplicateKeyException("duplicate",
                new SQLException("ERROR: duplicate key value violates unique constraint", "23505")))).isFalse();
        assertThat(failures.permanent(new QueryTimeoutException("timeout",
                new SQLException("ERROR: canceling statement due to statement timeout", "57014")))).isFalse();
        assertThat(failures.permanent(new RuntimeCamelException(new IOException(new ConnectException("refused")))))
                .isFalse();
        assertThat(failures.permanent(null)).isFalse();
    }

    @Test
    void aCauseLoopEnds() {
        SelfCaused looping = new SelfCaused();
        assertThat(failures.permanent(looping)).isFalse();
    }

    /** An exception that names itself as its cause after the fact (some libraries do). */
    private static final class SelfCaused extends RuntimeException {
        @Override
        public synchronized Throwable getCause() {
            return this;
        }
    }
}
