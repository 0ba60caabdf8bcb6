package io.wagateway.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.wagateway.support.TestDatabase;

/**
 * The module's migrations moving into a database that another application (here: a Prisma app) already uses, rolled
 * back and migrated again, on a real PostgreSQL server, with Flyway configured as application.properties configures it.
 * The packaged jar's commands run the same code: .ci/migration-lifecycle.sh.
 */
class MigrationLifecycleTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Path ROLLBACKS = Path.of("src/main/resources/" + Rollback.LOCATION);
    private static final Set<String> FLYWAY_OWN = Set.of("flyway_schema_history", "flyway_schema_history_pk",
            "flyway_schema_history_s_idx");

    private TestDatabase database;
    private Connection connection;

    @BeforeEach
    void createDatabase() throws SQLException {
        database = TestDatabase.createUnlisted();
        connection = database.connect();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        connection.close();
        database.drop();
    }

    @Test
    void everyMigrationHasADownScriptAndEveryDownScriptAMigration() throws IOException {
        List<String> migrations = names(MIGRATIONS, "V");
        List<String> downs = names(ROLLBACKS, "U");
        assertThat(migrations).isNotEmpty();
        assertThat(downs.stream().map(d -> "V" + d.substring(1)).toList())
                .as("db/rollback/U<n>__<same description>.sql for each db/migration/V<n>__<description>.sql")
                .containsExactlyInAnyOrderElementsOf(migrations);
    }

    @Test
    void intoAnExistingDatabaseRollbackToZeroAndMigrateAgainLeaveTheForeignTablesAlone() throws SQLException {
        createPrismaApp("public");
        Set<String> before = objects("public");

        assertThat(ExistingDatabase.clashes(connection, "public")).isEmpty();
        int applied = flyway("public").migrate().migrationsExecuted;
        assertThat(applied).isEqualTo(names(MIGRATIONS, "V").size());
        assertThat(history("public")).startsWith("0", "1", "2", "3").endsWith(Integer.toString(latest()));

        Set<String> created = new TreeSet<>(objects("public"));
        created.removeAll(before);
        created.removeAll(FLYWAY_OWN);
        assertThat(created).as("what the migrations create is what ModuleObjects names")
                .containsExactlyInAnyOrderElementsOf(new TreeSet<>(ModuleObjects.NAMES));
        assertPrismaAppIntact("public");

        Rollback.Outcome outcome = Rollback.to(connection, "public", 0);
        assertThat(outcome.from()).isEqualTo(latest());
        assertThat(outcome.scripts()).first().isEqualTo(Rollback.LOCATION + "U" + latest() + names(MIGRATIONS, "V")
                .stream().filter(n -> n.startsWith("V" + latest() + "__")).findFirst().orElseThrow()
                .substring(("V" + latest()).length()));
        assertThat(outcome.scripts()).last().isEqualTo(Rollback.LOCATION + "U1__add_whatsapp_module.sql");
        assertThat(objects("public")).as("after rollback to 0: the schema as it was before").isEqualTo(before);
        assertPrismaAppIntact("public");

        assertThat(flyway("public").migrate().migrationsExecuted).isEqualTo(applied);
        assertPrismaAppIntact("public");
    }

    @Test
    void partialRollbackUndoesOnlyTheNewerMigrationsAndRefusesToGoUp() throws SQLException {
        flyway("public").migrate();
        try (Statement st = connection.createStatement()) {
            st.execute("INSERT INTO customer_profiles (wa_id, updated_at) VALUES ('15550001111', now())");
        }

        Rollback.Outcome outcome = Rollback.to(connection, "public", 3);
        assertThat(outcome.to()).isEqualTo(3);
        assertThat(history("public")).containsExactly("1", "2", "3");
        assertThat(objects("public")).contains("customer_profiles", "whatsapp_pending_statuses")
                .doesNotContain("whatsapp_dead_letters", "whatsapp_deleted_messages", "gateway_events");
        assertThat(columns("customer_profiles")).doesNotContain("conversation_deleted_at");
        assertThat(count("SELECT count(*) FROM customer_profiles")).as("rows of kept tables stay").isEqualTo(1);

        assertThatThrownBy(() -> Rollback.to(connection, "public", 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("applied version is 3");
        assertThat(history("public")).containsExactly("1", "2", "3");

        flyway("public").migrate();
        assertThat(history("public")).endsWith(Integer.toString(latest()));
        assertThat(columns("customer_profiles")).contains("conversation_deleted_at");
    }

    @Test
    void aFailingDownScriptLeavesEverythingAsItWas() throws SQLException {
        flyway("public").migrate();
        try (Statement st = connection.createStatement()) {
            // A foreign table that references one of ours: dropping customer_profiles must not take it along.
            st.execute("CREATE TABLE shop_orders (id int PRIMARY KEY, customer uuid REFERENCES customer_profiles (id))");
        }
        assertThatThrownBy(() -> Rollback.to(connection, "public", 0)).isInstanceOf(SQLException.class);
        assertThat(history("public")).endsWith(Integer.toString(latest()));
        assertThat(objects("public")).contains("gateway_events", "customer_profiles", "shop_orders");
    }

    @Test
    void aNameClashIsRefusedNamingTheObject() throws SQLException {
        createPrismaApp("public");
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE TABLE customer_profiles (id int PRIMARY KEY)");
        }
        List<String> clashes = ExistingDatabase.clashes(connection, "public");
        assertThat(clashes).containsExactly("relation public.customer_profiles", "relation public.customer_profiles_pkey");
        assertThat(ExistingDatabase.clashMessage(clashes)).contains("public.customer_profiles").doesNotContain("\n");
    }

    @Test
    void inItsOwnSchemaTheModuleLeavesPublicAlone() throws SQLException {
        createPrismaApp("public");
        Set<String> publicBefore = objects("public");

        flyway("shop_whatsapp").migrate();
        assertThat(objects("shop_whatsapp")).containsAll(ModuleObjects.NAMES);
        assertThat(objects("public")).isEqualTo(publicBefore);
        assertThat(ExistingDatabase.clashes(connection, "public")).as("names in public do not clash with ours elsewhere")
                .isEmpty();

        Rollback.to(connection, "shop_whatsapp", 0);
        assertThat(objects("shop_whatsapp")).isEmpty();
        assertThat(objects("public")).isEqualTo(publicBefore);
        assertPrismaAppIntact("public");
        flyway("shop_whatsapp").migrate();
        assertThat(history("shop_whatsapp")).endsWith(Integer.toString(latest()));
    }

    @Test
    void rollbackWithoutHistory() throws SQLException {
        assertThat(Rollback.to(connection, "public", 0).scripts()).isEmpty();
        assertThatThrownBy(() -> Rollback.to(connection, "public", 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rollback.to(connection, "public", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Flyway as application.properties configures it. */
    private Flyway flyway(String schema) {
        return Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password())
                .locations("classpath:db/migration").schemas(schema).defaultSchema(schema)
                .baselineOnMigrate(true).baselineVersion("0").baselineDescription("existing database").load();
    }

    private void createPrismaApp(String schema) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            st.execute("SET search_path TO " + schema);
            st.execute("""
                    CREATE TABLE "_prisma_migrations" (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL,
                        migration_name varchar(255) NOT NULL, finished_at timestamptz);
                    INSERT INTO "_prisma_migrations" VALUES ('1', 'abc', '20240101_init', now());
                    CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
                    CREATE TABLE "CustomerProfile" (id text PRIMARY KEY, email text UNIQUE, role "Role" NOT NULL);
                    INSERT INTO "CustomerProfile" VALUES ('c1', 'a@example.com', 'USER'), ('c2', 'b@example.com', 'ADMIN');
                    CREATE FUNCTION "touch"() RETURNS int LANGUAGE sql AS 'select 1';
                    """);
            st.execute("RESET search_path");
        }
    }

    private void assertPrismaAppIntact(String schema) throws SQLException {
        assertThat(count("SELECT count(*) FROM " + schema + ".\"_prisma_migrations\" WHERE migration_name = '20240101_init'"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM " + schema + ".\"CustomerProfile\" WHERE role IN ('USER', 'ADMIN')"))
                .isEqualTo(2);
    }

    /** The names of the relations, standalone types and functions in a schema. */
    private Set<String> objects(String schema) throws SQLException {
        Set<String> names = new HashSet<>();
        try (var ps = connection.prepareStatement("""
                select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ?
                union all select t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
                    where n.nspname = ? and t.typrelid = 0 and t.typcategory <> 'A'
                union all select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = ?
                """)) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            ps.setString(3, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    private List<String> history(String schema) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT version FROM " + schema
                                + ".flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }

    private List<String> columns(String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (var ps = connection.prepareStatement(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    private long count(String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int latest() {
        return names(MIGRATIONS, "V").stream().mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max()
                .orElseThrow();
    }

    private static List<String> names(Path dir, String prefix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix) && n.endsWith(".sql"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
