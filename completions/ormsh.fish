# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ormsh_global_optspecs
    string join \n app= database-url= config= c/command= echo no-echo format= no-color reflect sandbox read-only schema= strict y/yes h/help V/version
end

function __fish_ormsh_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ormsh_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ormsh_using_subcommand
    set -l cmd (__fish_ormsh_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ormsh -n "__fish_ormsh_needs_command" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_needs_command" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_needs_command" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_needs_command" -s c -l command -d 'Evaluate one expression, print its result and exit' -r
complete -c ormsh -n "__fish_ormsh_needs_command" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_needs_command" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_needs_command" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_needs_command" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_needs_command" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_needs_command" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_needs_command" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_needs_command" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_needs_command" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_needs_command" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ormsh -n "__fish_ormsh_needs_command" -s V -l version -d 'Print version'
complete -c ormsh -n "__fish_ormsh_needs_command" -f -a "run" -d 'Run a script: what its db.session.commit() calls commit is kept, and what no commit covers is rolled back at the end (with a warning)'
complete -c ormsh -n "__fish_ormsh_needs_command" -f -a "shell" -d 'The interactive prompt (the default)'
complete -c ormsh -n "__fish_ormsh_needs_command" -f -a "models" -d 'Models: `ormsh models dump [--out FILE]` writes every model (declared or reflected) as a models file'
complete -c ormsh -n "__fish_ormsh_needs_command" -f -a "db" -d 'The database: `ormsh db diff [--sql]` shows where the models and the live database disagree (exit code 1 when they do); `db upgrade`, `downgrade`, `current`, `history`, `heads`, `branches`, `show` and `stamp` work on a Flask-Migrate (Alembic) migrations folder'
complete -c ormsh -n "__fish_ormsh_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c ormsh -n "__fish_ormsh_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l atomic -d 'All or nothing: the script\'s commits are held (each a savepoint, so a rollback goes back to the last one) and committed together only if the script ends without error; one transaction, one sync'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand run" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand shell" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -f -a "dump" -d 'Write the models file'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and not __fish_seen_subcommand_from dump help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l out -d 'Write here instead of standard output' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from dump" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "dump" -d 'Write the models file'
complete -c ormsh -n "__fish_ormsh_using_subcommand models; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "diff" -d 'Compare the models with the live tables'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "current" -d 'The revision(s) the database is at (alembic_version)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "history" -d 'Every revision, newest first'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "heads" -d 'The revisions nothing revises yet'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "branches" -d 'The revisions that more than one revision revises'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "show" -d 'One revision: its parent, path and message'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "upgrade" -d 'Apply the revisions up to REV (head), each in its own transaction'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "downgrade" -d 'Revert the revisions down to REV (-1)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "stamp" -d 'Set alembic_version to REV without running any revision'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "init" -d 'Make the migrations folder (what `flask db init` makes)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "revision" -d 'A new revision file on the head: empty, or with --autogenerate what the models need'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "migrate" -d 'A new revision with what the models need against the database at the head (`revision --autogenerate`)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "merge" -d 'One revision on several heads (all of them by default)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "edit" -d 'Open a revision file in $EDITOR'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "check" -d 'Exit code 1 when the models need a migration (a `db migrate` would write one), 0 when they do not'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and not __fish_seen_subcommand_from diff current history heads branches show upgrade downgrade stamp init revision migrate merge edit check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l sql -d 'Print the DDL that brings the database in line, without running it'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -s v -l verbose -d 'Alembic\'s long form'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from current" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -s r -l rev-range -d 'Only the revisions from START to END, both included (base, heads, current, or a revision; either may be left out)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -s v -l verbose
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -s v -l verbose
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from heads" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -s v -l verbose
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from branches" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l sql -d 'Print the SQL instead of running it (from base, or FROM:TO); in a multidb folder, write .sql and <bind>.sql instead'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from upgrade" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l sql -d 'Print the SQL instead of running it (FROM:TO); in a multidb folder, write .sql and <bind>.sql instead'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from downgrade" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l sql -d 'Print the SQL instead of running it (from base, or FROM:TO); in a multidb folder, write .sql and <bind>.sql instead'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from stamp" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -s m -l message -d 'The message' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l head -d 'The revision it revises (head)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l branch-label -d 'A branch label for the new revision' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l rev-id -d 'The new revision\'s id instead of a random one' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l rename -d 'A column that disappears while another of its type appears is renamed: OLD=NEW or TABLE.OLD=NEW (repeatable)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l default -d 'The one-off value that fills a new NOT NULL column in a table with rows: COLUMN=VALUE or TABLE.COLUMN=VALUE (repeatable)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l autogenerate -d 'Write the changes the models need (as `db migrate`)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l sql -d 'Refused, as Alembic refuses it: a new revision has no SQL to print'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from revision" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -s m -l message -d 'The message' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l head -d 'The revision it revises (head)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l branch-label -d 'A branch label for the new revision' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l rev-id -d 'The new revision\'s id instead of a random one' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l rename -d 'A column that disappears while another of its type appears is renamed: OLD=NEW or TABLE.OLD=NEW (repeatable)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l default -d 'The one-off value that fills a new NOT NULL column in a table with rows: COLUMN=VALUE or TABLE.COLUMN=VALUE (repeatable)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l sql -d 'Refused, as Alembic refuses it: autogenerate compares the models with the live database (`db upgrade --sql` prints a revision\'s SQL)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -s m -l message -d 'The message' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l branch-label -d 'A branch label for the new revision' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l rev-id -d 'The new revision\'s id instead of a random one' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from merge" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -s d -l directory -d 'The migrations folder (default: migrations/ in the project)' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Compare the models with the live tables'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "current" -d 'The revision(s) the database is at (alembic_version)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "history" -d 'Every revision, newest first'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "heads" -d 'The revisions nothing revises yet'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "branches" -d 'The revisions that more than one revision revises'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "show" -d 'One revision: its parent, path and message'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "upgrade" -d 'Apply the revisions up to REV (head), each in its own transaction'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "downgrade" -d 'Revert the revisions down to REV (-1)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "stamp" -d 'Set alembic_version to REV without running any revision'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "init" -d 'Make the migrations folder (what `flask db init` makes)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "revision" -d 'A new revision file on the head: empty, or with --autogenerate what the models need'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'A new revision with what the models need against the database at the head (`revision --autogenerate`)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "merge" -d 'One revision on several heads (all of them by default)'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Open a revision file in $EDITOR'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "check" -d 'Exit code 1 when the models need a migration (a `db migrate` would write one), 0 when they do not'
complete -c ormsh -n "__fish_ormsh_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l app -d 'The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards' -r -F
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l database-url -d 'Use this database instead of the project\'s (SQLAlchemy URL)' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l config -d 'In a Flask project: the config a factory picks by name (`config[\'NAME\']`), as FLASK_CONFIG would' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l format -d 'How results print' -r -f -a "table\t''
vertical\t''
json\t''
csv\t''
markdown\t''"
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l schema -d 'A schema (PostgreSQL) or database (MySQL) to reflect besides the search path\'s; repeat it or join names with commas, `*` for every schema (`schemas = [..]` in ormsh.toml\'s [database])' -r
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l echo -d 'Print every SQL statement (on by default at the prompt)'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l no-echo -d 'Print no SQL statements'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l no-color -d 'No colours, even on a terminal'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l reflect -d 'Add a model for every table that no model declares (automatic when the project has no models file)'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l sandbox -d 'Roll everything back at the end, whatever was committed: a dry run for scripts, a sandbox at the prompt'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l read-only -d 'Open the database read-only: the connection itself refuses every write, through the ORM or in hand-written SQL (`read_only = true` in ormsh.toml\'s [database] does the same)'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -l strict -d 'In `run` and -c: changes left uncommitted at the end (rolled back, with a warning) fail the run with exit code 1'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -s y -l yes -d 'Answer yes to the guards of destructive calls (db.drop_all(), a bulk update or delete with no filter, SQL with no WHERE) in scripts and -c'
complete -c ormsh -n "__fish_ormsh_using_subcommand completions" -s h -l help -d 'Print help'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and not __fish_seen_subcommand_from run shell models db completions help" -f -a "run" -d 'Run a script: what its db.session.commit() calls commit is kept, and what no commit covers is rolled back at the end (with a warning)'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and not __fish_seen_subcommand_from run shell models db completions help" -f -a "shell" -d 'The interactive prompt (the default)'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and not __fish_seen_subcommand_from run shell models db completions help" -f -a "models" -d 'Models: `ormsh models dump [--out FILE]` writes every model (declared or reflected) as a models file'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and not __fish_seen_subcommand_from run shell models db completions help" -f -a "db" -d 'The database: `ormsh db diff [--sql]` shows where the models and the live database disagree (exit code 1 when they do); `db upgrade`, `downgrade`, `current`, `history`, `heads`, `branches`, `show` and `stamp` work on a Flask-Migrate (Alembic) migrations folder'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and not __fish_seen_subcommand_from run shell models db completions help" -f -a "completions" -d 'Print shell completions'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and not __fish_seen_subcommand_from run shell models db completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from models" -f -a "dump" -d 'Write the models file'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "diff" -d 'Compare the models with the live tables'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "current" -d 'The revision(s) the database is at (alembic_version)'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "history" -d 'Every revision, newest first'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "heads" -d 'The revisions nothing revises yet'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "branches" -d 'The revisions that more than one revision revises'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "show" -d 'One revision: its parent, path and message'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "upgrade" -d 'Apply the revisions up to REV (head), each in its own transaction'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "downgrade" -d 'Revert the revisions down to REV (-1)'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "stamp" -d 'Set alembic_version to REV without running any revision'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "init" -d 'Make the migrations folder (what `flask db init` makes)'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "revision" -d 'A new revision file on the head: empty, or with --autogenerate what the models need'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "migrate" -d 'A new revision with what the models need against the database at the head (`revision --autogenerate`)'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "merge" -d 'One revision on several heads (all of them by default)'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "edit" -d 'Open a revision file in $EDITOR'
complete -c ormsh -n "__fish_ormsh_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "check" -d 'Exit code 1 when the models need a migration (a `db migrate` would write one), 0 when they do not'
