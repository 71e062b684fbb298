/*
 * cmd_user.c — `ruhu user`: accounts from the command line, for the
 * operator (first admins, a forgotten admin password, emergencies).
 * Every change is audited with the operator as actor ("cli:$USER").
 */
#include <getopt.h>
#include <string.h>
#include "cli/cli.h"
#include "core/secret.h"

static const char usage[] =
	"usage: ruhu user add --tenant CODE USERNAME --name NAME --roles ROLE[,ROLE…] [--phone P]\n"
	"       ruhu user passwd USERNAME        (new password from RUHU_PASSWORD or the terminal)\n"
	"       ruhu user disable USERNAME [--reason TEXT]\n"
	"       ruhu user enable USERNAME [--reason TEXT]\n"
	"       ruhu user list --tenant CODE\n"
	"\n"
	"  --db PATH       database (RUHU_DB, default ruhu.db)\n"
	"  --must-change   add, passwd: the user must choose a new password at the next sign-in\n"
	"  --reason TEXT   why, for the audit trail\n"
	"\n"
	"Roles: admin manager supervisor service_desk dispatcher field_worker reviewer guard\n"
	"       volunteer_coord auditor\n";

struct opts {
	const char *db, *tenant, *name, *roles, *phone, *reason;
	int must_change;
};

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "tenant", required_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' }, { "roles", required_argument, NULL, 'r' },
		{ "phone", required_argument, NULL, 'p' }, { "reason", required_argument, NULL, 'R' },
		{ "must-change", no_argument, NULL, 'm' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 2;	/* argv[1] is the action */
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 't': o->tenant = optarg; break;
		case 'n': o->name = optarg; break;
		case 'r': o->roles = optarg; break;
		case 'p': o->phone = optarg; break;
		case 'R': o->reason = optarg; break;
		case 'm': o->must_change = 1; break;
		case 'h': fputs(usage, stdout); return 1;
		default: fputs(usage, stderr); return 2;
		}
	}
	return 0;
}

static int add(struct db *db, struct opts *o, const char *username)
{
	struct tenant t;
	struct user u;
	char password[PASSWORD_MAX * 4 + 2], hash[PASSWORD_HASH_MAX];
	if (cli_tenant_to_write(db, "user add", o->tenant, &t) != 0) return 1;
	memset(&u, 0, sizeof u);
	if (!username_valid(username)) return cli_fail("user add", "user name: 3-32 of a-z, 0-9, '.', '_' and '-' (capitals are lowered)");
	if (!o->name) return cli_fail("user add", "--name is required (at most %d characters)", DISPLAY_NAME_MAX);
	if (cli_name("user add", "--name", o->name, DISPLAY_NAME_MAX) != 0) return 1;
	if (!o->roles || roles_parse(o->roles, &u.roles) != 0 || !u.roles) return cli_fail("user add", "--roles: a comma-separated list of known roles");
	if (o->phone && !phone_valid(o->phone)) return cli_fail("user add", "--phone is not a phone number");
	if (cli_read_password("user add", password, sizeof password) != 0) return 1;
	if (password_hash(password, hash) != 0) return cli_fail("user add", "out of memory");
	u.tenant_id = t.id;
	snprintf(u.username, sizeof u.username, "%s", username);
	snprintf(u.display_name, sizeof u.display_name, "%s", o->name);
	if (o->phone) snprintf(u.phone, sizeof u.phone, "%s", o->phone);
	u.must_change_password = o->must_change;
	struct actor a = cli_actor(t.id, o->reason);
	enum rh_err rc = store_user_create(db, &a, &u, hash, NULL, NULL);
	if (rc == RH_ERR_DUPLICATE) return cli_fail("user add", "the user name %s is taken", username);
	if (rc != RH_OK) return cli_fail("user add", "%s", rh_error_info(rc)->en);
	printf("added %s (id %lld) to %s\n", username, (long long)u.id, t.code);
	return 0;
}

static int find(struct db *db, const char *cmd, const char *username, struct user *u)
{
	char hash[PASSWORD_HASH_MAX];
	enum rh_err rc = store_user_for_login(db, username, u, hash);
	if (rc == RH_ERR_NOT_FOUND) return cli_fail(cmd, "no user %s", username);
	if (rc != RH_OK) return cli_fail(cmd, "%s", rh_error_info(rc)->en);
	return 0;
}

static int passwd(struct db *db, struct opts *o, const char *username)
{
	struct user u;
	char password[PASSWORD_MAX * 4 + 2], hash[PASSWORD_HASH_MAX];
	if (find(db, "user passwd", username, &u) != 0) return 1;
	if (cli_read_password("user passwd", password, sizeof password) != 0) return 1;
	if (password_hash(password, hash) != 0) return cli_fail("user passwd", "out of memory");
	struct actor a = cli_actor(u.tenant_id, o->reason ? o->reason : "password set by the operator");
	enum rh_err rc = store_user_set_password(db, &a, u.tenant_id, u.id, -1, hash, o->must_change, NULL, &u, NULL);
	if (rc != RH_OK) return cli_fail("user passwd", "%s", rh_error_info(rc)->en);
	printf("password of %s set; its sessions ended and any lock-out lifted\n", username);
	return 0;
}

static int set_status(struct db *db, struct opts *o, const char *username, enum user_status status)
{
	struct user u;
	const char *cmd = status == USER_DISABLED ? "user disable" : "user enable";
	if (find(db, cmd, username, &u) != 0) return 1;
	struct user_patch p = { .status = (int)status };
	struct actor a = cli_actor(u.tenant_id, o->reason);
	enum rh_err rc = store_user_update(db, &a, u.tenant_id, u.id, u.version, &p, &u, NULL);
	if (rc != RH_OK) return cli_fail(cmd, "%s", rh_error_info(rc)->en);
	printf("%s is now %s\n", username, user_status_code(u.status));
	return 0;
}

static int print_user(const struct user *u, void *arg)
{
	struct buf roles = BUF_INIT(512);
	roles_format(u->roles, &roles);
	printf("%-6lld %-20s %-10s %-12s %s\n", (long long)u->id, u->username, user_status_code(u->status),
	       buf_str(&roles), u->display_name);
	buf_release(&roles);
	return 0;
}

static int list(struct db *db, struct opts *o)
{
	struct tenant t;
	if (cli_tenant(db, "user list", o->tenant, &t) != 0) return 1;
	struct user_filter f = { .role = -1, .status = -1, .limit = 100000 };
	int64_t total;
	printf("%-6s %-20s %-10s %-12s %s\n", "ID", "USERNAME", "STATUS", "ROLES", "NAME");
	enum rh_err rc = store_user_list(db, t.id, &f, print_user, NULL, &total);
	if (rc != RH_OK) return cli_fail("user list", "%s", rh_error_info(rc)->en);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *action = argv[1];
	struct opts o = { 0 };
	int p = parse(argc, argv, &o);
	if (p) return p == 1 ? 0 : 2;
	if (strcmp(action, "add") && strcmp(action, "passwd") && strcmp(action, "disable") &&
	    strcmp(action, "enable") && strcmp(action, "list"))
		return cli_usage("user", usage, "unknown action %s (add, passwd, disable, enable, list; options come after it)", action);
	char *username = optind < argc ? argv[optind] : NULL;
	if (username) cli_lower(username);
	int need_user = strcmp(action, "list") != 0;
	if (need_user && !username) return cli_usage("user", usage, "%s: which user name?", action);
	if (optind + need_user < argc)
		return cli_usage("user", usage, "unexpected argument %s (one user at a time; a name with spaces goes in quotes)",
				 argv[optind + need_user]);
	if (cli_init_crypto("user") != 0) return 1;
	struct store *st = cli_open_store(cli_db(o.db), 0, 1);
	if (!st) return 1;
	struct db *db = store_acquire(st);
	int status;
	if (strcmp(action, "add") == 0) status = add(db, &o, username);
	else if (strcmp(action, "passwd") == 0) status = passwd(db, &o, username);
	else if (strcmp(action, "disable") == 0) status = set_status(db, &o, username, USER_DISABLED);
	else if (strcmp(action, "enable") == 0) status = set_status(db, &o, username, USER_ACTIVE);
	else status = list(db, &o);
	store_release(st, db);
	store_close(st);
	return status;
}
