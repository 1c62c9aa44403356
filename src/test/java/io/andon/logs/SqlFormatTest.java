package io.andon.logs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlFormatTest {
    @Test
    void oneClauseALineWithLiteralsAndSubqueriesUntouched() {
        assertThat(SqlFormat.format("SELECT pg_sleep(0.7) AS andon_sim_slow, count(*) FROM mes_core.work_orders WHERE status = 'RUNNING'"))
                .isEqualTo("SELECT pg_sleep(0.7) AS andon_sim_slow, count(*)\nFROM mes_core.work_orders\nWHERE status = 'RUNNING'");
        assertThat(SqlFormat.format("select a from t left join u on u.id = t.id where x = 'from where' order by 1 limit 5"))
                .isEqualTo("select a\nfrom t\nleft join u on u.id = t.id\nwhere x = 'from where'\norder by 1\nlimit 5");
        // the subquery's FROM stays inside its parentheses; whitespace collapses; the doubled quote survives
        assertThat(SqlFormat.format("UPDATE  t\n   SET v = (SELECT max(v) FROM u)  WHERE k = 'it''s'"))
                .isEqualTo("UPDATE t\nSET v = (SELECT max(v) FROM u)\nWHERE k = 'it''s'");
        assertThat(SqlFormat.format("SELECT equipment_id FROM mes_core.equipment WHERE equipment_id = $1 FOR UPDATE"))
                .isEqualTo("SELECT equipment_id\nFROM mes_core.equipment\nWHERE equipment_id = $1\nFOR UPDATE");
        assertThat(SqlFormat.format("SELECT \"from\", fromage FROM t")).isEqualTo("SELECT \"from\", fromage\nFROM t");
        assertThat(SqlFormat.format(null)).isEmpty();
        assertThat(SqlFormat.format("BEGIN")).isEqualTo("BEGIN");
    }
}
