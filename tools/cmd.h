/*
 * cmd.h - the commands of the narrate tool and what they share.
 * Each command lives in tools/cmd_<name>.c and is listed in the sorted
 * table in tools/narrate.c.
 */
#ifndef NR_CMD_H
#define NR_CMD_H

#include <stdio.h>

struct nr_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* Exit codes: 0 success, 1 a result the user should look at (e.g. rejects
 * or check failures), 2 usage error, 3 input error, 4 internal error. */
#define NR_EXIT_OK	 0
#define NR_EXIT_FINDINGS 1
#define NR_EXIT_USAGE	 2
#define NR_EXIT_INPUT	 3
#define NR_EXIT_INTERNAL 4

int cmd_analyze(int argc, char **argv);
int cmd_homogeneity(int argc, char **argv);
int cmd_lexicon(int argc, char **argv);
int cmd_lexicon_build(int argc, char **argv); /* tools/cmd_lexicon_build.c */
int cmd_match(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_tokenize(int argc, char **argv);

/* Print "narrate: " + message to stderr (git's error()). */
void nr_tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The folder holding narrate's lexicons and stopword lists: $NARRATE_DATA,
 * else ./lexicons beside the binary's build tree, else ../share/narrate
 * beside the installed binary, else the install DATADIR compiled in.
 * Static storage. */
const char *nr_tool_data_dir(void);

/* Read all of path ("-" for stdin) into a malloc'd buffer, *len bytes
 * (NUL-terminated).  Refuses directories and files over max bytes; on
 * failure prints an error naming path and returns NULL. */
char *nr_tool_read_file(const char *path, size_t max, size_t *len);

/* The run both `analyze` and `homogeneity` make (tools/analysis_run.c). */
struct nr_tool_run {
	struct nr_corpus_options *corpus_opts;	   /* field_map is set here */
	struct nr_analysis_options *analysis_opts; /* data_dir is set here */
	const char **fields; /* the --field values, room for one more (NULL) */
	size_t nfields;
	int argc; /* the command's arguments, for the manifest */
	char **argv;
	int first_path;	  /* argv[first_path..argc) are the corpus paths */
	const char *out;  /* the report folder */
	const char *what; /* "analysis", "homogeneity": for messages */
	int progress;	  /* a progress line on stderr when it is a terminal */
	int (*write)(struct nr_analysis *a, const char *out, const char *command);
};

/* Open the corpus, run the analysis and write the folder; on success *out
 * is the finished analysis (free it), else every error has been printed,
 * OUT is unchanged and the exit status is returned. */
int nr_tool_run_analysis(const struct nr_tool_run *r, struct nr_analysis **out);

/* After a successful run, on stderr: a note when documents were in a
 * language with no stopword list (manifest.json names them), and how many
 * documents were rejected (and where the reasons are), or that the input
 * held none. */
void nr_tool_report_run(const struct nr_analysis *a, const char *out, const char *group_by);

/* The width of a summary's id column for groups [0, n): the longest id,
 * at least 10 and at most 40 ("330100|2024-05" under --group-by
 * city,month), so no two groups print alike. */
int nr_tool_id_width(const struct nr_analysis *a, size_t n);

/* "narrate ARGV..." into buf (truncated to size), for manifests. */
void nr_tool_command_line(int argc, char **argv, char *buf, size_t size);

#endif
