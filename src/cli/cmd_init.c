/*
 * cmd_init.c — `ruhu init`: creates (or migrates) the database, an
 * organisation and its first admin. Run it once per organisation.
 */
#include <getopt.h>
#include <string.h>
#include "cli/cli.h"
#include "core/secret.h"

static const char usage[] =
	"usage: ruhu init --tenant CODE --name NAME --admin USERNAME [options]\n"
	"\n"
	"Creates the database if needed, then an organisation (tenant) and its first admin.\n"
	"The admin's password comes from RUHU_PASSWORD, or is asked for on the terminal.\n"
	"\n"
	"  --db PATH            database (RUHU_DB, default ruhu.db)\n"
	"  --tenant CODE        short code of the organisation: a-z, 0-9 and -\n"
	"  --name NAME          its name, e.g. 华安燃气有限公司\n"
	"  --kind KIND          gas, property, water, care, community or other (default other)\n"
	"  --admin USERNAME     the admin's user name\n"
	"  --admin-name NAME    the admin's display name (default: the user name)\n";

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "tenant", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' }, { "kind", required_argument, NULL, 'k' },
		{ "admin", required_argument, NULL, 'a' }, { "admin-name", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *db_flag = NULL, *code = NULL, *name = NULL, *kind = "other", *admin_name = NULL;
	char *admin = NULL;	/* lowered in place */
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db_flag = optarg; break;
		case 't': code = optarg; break;
		case 'n': name = optarg; break;
		case 'k': kind = optarg; break;
		case 'a': admin = optarg; break;	/* argv's own string: ours to lower */
		case 'A': admin_name = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind < argc) return cli_usage("init", usage, "unexpected argument %s (a name with spaces goes in quotes)", argv[optind]);
	if (!code || !name || !admin)
		return cli_usage("init", usage, "%s is required", !code ? "--tenant" : !name ? "--name" : "--admin");
	if (!tenant_code_valid(code)) return cli_fail("init", "--tenant: use 2-32 of a-z, 0-9 and - (not 'system')");
	if (!tenant_kind_valid(kind)) return cli_fail("init", "--kind: gas, property, water, care, community or other");
	if (cli_name("init", "--name", name, TENANT_NAME_MAX) != 0) return 1;
	cli_lower(admin);
	if (!username_valid(admin)) return cli_fail("init", "--admin: 3-32 of a-z, 0-9, '.', '_' and '-' (capitals are lowered)");
	if (!admin_name) admin_name = admin;
	if (cli_name("init", "--admin-name", admin_name, DISPLAY_NAME_MAX) != 0) return 1;
	if (cli_init_crypto("init") != 0) return 1;

	char password[PASSWORD_MAX * 4 + 2], hash[PASSWORD_HASH_MAX];
	if (cli_read_password("init", password, sizeof password) != 0) return 1;
	if (password_hash(password, hash) != 0) return cli_fail("init", "out of memory");

	struct store *st = cli_open_store(cli_db(db_flag), STORE_CREATE, 1);
	if (!st) return 1;
	struct db *db = store_acquire(st);
	struct tenant t;
	memset(&t, 0, sizeof t);
	snprintf(t.code, sizeof t.code, "%s", code);
	snprintf(t.name, sizeof t.name, "%s", name);
	snprintf(t.kind, sizeof t.kind, "%s", kind);
	snprintf(t.tz_name, sizeof t.tz_name, "Asia/Shanghai");
	t.utc_offset_min = 480;
	struct actor a = cli_actor(0, "ruhu init");
	struct rh_fail fail = { .err = RH_OK };
	/* The admin's name is looked at first: an organisation made without
	 * its admin could not be signed into, nor made again. */
	struct user taken;
	char ignored[PASSWORD_HASH_MAX];
	enum rh_err rc = store_user_for_login(db, admin, &taken, ignored);
	int status = 0;
	if (rc == RH_OK) {
		status = cli_fail("init", "the user name %s is taken; nothing was made", admin);
	} else if (rc != RH_ERR_NOT_FOUND) {
		status = cli_fail("init", "cannot read the accounts: %s", rh_error_info(rc)->en);
	} else if ((rc = store_tenant_create(db, &a, &t, &fail)) == RH_ERR_DUPLICATE) {
		status = cli_fail("init", "a tenant with code %s exists already", code);
	} else if (rc != RH_OK) {
		status = cli_fail("init", "cannot create the tenant: %s", rh_error_info(rc)->en);
	} else {
		struct user u;
		memset(&u, 0, sizeof u);
		u.tenant_id = t.id;
		snprintf(u.username, sizeof u.username, "%s", admin);
		snprintf(u.display_name, sizeof u.display_name, "%s", admin_name);
		u.roles = RH_ROLE(ROLE_ADMIN);
		a.tenant_id = t.id;
		rc = store_user_create(db, &a, &u, hash, NULL, &fail);
		if (rc == RH_ERR_DUPLICATE) status = cli_fail("init", "the user name %s is taken", admin);
		else if (rc != RH_OK) status = cli_fail("init", "cannot create the admin: %s", rh_error_info(rc)->en);
		else printf("created tenant %s (id %lld) and its admin %s\n", code, (long long)t.id, admin);
	}
	store_release(st, db);
	store_close(st);
	return status;
}
