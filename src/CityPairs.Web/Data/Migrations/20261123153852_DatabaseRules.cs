using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CityPairs.Web.Data.Migrations
{
    /// <summary>
    /// Rules EF Core cannot express in the model: a partnership has at least two members (checked at commit,
    /// so a partnership and its members can be inserted in one transaction), and a city name is unique per
    /// country whatever its case.
    /// </summary>
    public partial class DatabaseRules : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION enforce_partnership_minimum_members() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    target integer;
                    member_count integer;
                BEGIN
                    IF TG_TABLE_NAME = 'partnerships' THEN
                        target := NEW.id;
                    ELSE
                        target := OLD.partnership_id;
                    END IF;
                    -- A partnership deleted with its members has nothing left to check.
                    IF NOT EXISTS (SELECT 1 FROM partnerships WHERE id = target) THEN
                        RETURN NULL;
                    END IF;
                    SELECT count(*) INTO member_count FROM partnership_members WHERE partnership_id = target;
                    IF member_count < 2 THEN
                        RAISE EXCEPTION 'A partnership needs at least two member cities; partnership % has %.', target, member_count
                            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_partnerships_minimum_members';
                    END IF;
                    RETURN NULL;
                END
                $$;

                CREATE CONSTRAINT TRIGGER tr_partnerships_minimum_members
                    AFTER INSERT ON partnerships DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION enforce_partnership_minimum_members();

                CREATE CONSTRAINT TRIGGER tr_partnership_members_minimum_members
                    AFTER DELETE OR UPDATE OF partnership_id ON partnership_members DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION enforce_partnership_minimum_members();

                CREATE UNIQUE INDEX ux_cities_country_code_lower_name ON cities (country_code, lower(name));
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX ux_cities_country_code_lower_name;
                DROP TRIGGER tr_partnership_members_minimum_members ON partnership_members;
                DROP TRIGGER tr_partnerships_minimum_members ON partnerships;
                DROP FUNCTION enforce_partnership_minimum_members();
                """);
        }
    }
}
