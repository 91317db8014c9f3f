/*
 * test_source.c — reading scenario files: what is refused, where, and how lines are split.
 *
 * Files are written to a fresh temporary directory per test; /proc/self/mem and /dev/zero
 * provoke a failing read and an endless stream (Linux).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/source.h"

static char dir[64];
static wa_diagnostics *diags;

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/wa_source_XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    cr_assert_not_null(mkdtemp(dir));
    diags = wa_diagnostics_new();
    cr_assert_not_null(diags);
}

static void teardown(void)
{
    wa_diagnostics_free(diags);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(source, .init = setup, .fini = teardown);

/* Writes text[0..len) to dir/name, the path going to path[0..size). */
static void write_file(char *path, size_t size, const char *name, const char *text,
                              size_t len)
{
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(text, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

/* The only diagnostic is an error with this code, position and message. */
static void expect_only(wa_status code, const char *file, int line, int col, const char *msg)
{
    cr_assert_eq(wa_diagnostics_count(diags), 1, "got %zu diagnostics",
                 wa_diagnostics_count(diags));
    const wa_diagnostic *e = wa_diagnostics_get(diags, 0);
    cr_assert_eq(e->severity, WA_ERROR);
    cr_assert_eq(e->code, code);
    cr_assert_str_eq(e->file, file);
    cr_assert_eq(e->line, line, "line %d", e->line);
    cr_assert_eq(e->column, col, "column %d", e->column);
    cr_assert_str_eq(e->message, msg);
}

/* from_buffer on text that must be refused with msg at line:col. */
static void refuse(const char *text, size_t len, int line, int col, const char *msg)
{
    wa_source *s = (wa_source *)1;
    cr_assert_eq(wa_source_from_buffer(text, len, "t.yaml", &s, diags), WA_EINVALID);
    cr_assert_null(s);
    expect_only(WA_EINVALID, "t.yaml", line, col, msg);
}

Test(source, reads_a_whole_file)
{
    char path[128];
    const char text[] = "name: x\r\nhorizon: 5\n";
    write_file(path, sizeof path, "a.yaml", text, sizeof text - 1);
    wa_source *s = NULL;
    cr_assert_eq(wa_source_read(path, &s, diags), WA_OK);
    cr_assert_str_eq(s->name, path);
    cr_assert_eq(s->len, sizeof text - 1);
    cr_assert_eq(memcmp(s->text, text, sizeof text), 0); /* with the NUL */
    cr_assert_eq(wa_diagnostics_count(diags), 0);
    wa_source_free(s);
    wa_source_free(NULL);
}

Test(source, reads_an_empty_file)
{
    char path[128];
    write_file(path, sizeof path, "empty.yaml", "", 0);
    wa_source *s = NULL;
    cr_assert_eq(wa_source_read(path, &s, diags), WA_OK);
    cr_assert_eq(s->len, 0);
    cr_assert_str_eq(s->text, "");
    size_t len = 99;
    cr_assert_str_eq(wa_source_line(s, 1, &len), "");
    cr_assert_eq(len, 0);
    cr_assert_null(wa_source_line(s, 2, &len));
    wa_source_free(s);
}

Test(source, reads_a_file_whose_size_stat_does_not_know)
{
    /* /proc files report size 0: the buffer has to grow past its first guess. */
    wa_source *s = NULL;
    cr_assert_eq(wa_source_read("/proc/self/maps", &s, diags), WA_OK);
    cr_assert_gt(s->len, 0);
    cr_assert_eq(strlen(s->text), s->len);
    wa_source_free(s);
}

Test(source, reports_a_missing_file)
{
    char path[128];
    snprintf(path, sizeof path, "%s/missing.yaml", dir);
    wa_source *s = (wa_source *)1;
    cr_assert_eq(wa_source_read(path, &s, diags), WA_EIO);
    cr_assert_null(s);
    char msg[256];
    snprintf(msg, sizeof msg, "cannot open '%s': No such file or directory", path);
    expect_only(WA_EIO, path, 0, 0, msg);
    cr_assert_null(wa_diagnostics_get(diags, 0)->source_line);
}

Test(source, reports_a_directory)
{
    wa_source *s = (wa_source *)1;
    cr_assert_eq(wa_source_read(dir, &s, diags), WA_EIO);
    cr_assert_null(s);
    char msg[256];
    snprintf(msg, sizeof msg, "cannot read '%s': Is a directory", dir);
    expect_only(WA_EIO, dir, 0, 0, msg);
}

Test(source, reports_a_failing_read)
{
    /* Page 0 of a process is never mapped: reading /proc/self/mem there fails with EIO. */
    wa_source *s = (wa_source *)1;
    cr_assert_eq(wa_source_read("/proc/self/mem", &s, diags), WA_EIO);
    cr_assert_null(s);
    expect_only(WA_EIO, "/proc/self/mem", 0, 0,
                "cannot read '/proc/self/mem': Input/output error");
}

Test(source, refuses_a_file_over_16_MiB)
{
    char path[128];
    snprintf(path, sizeof path, "%s/big.yaml", dir);
    int fd = open(path, O_CREAT | O_WRONLY, 0600);
    cr_assert_geq(fd, 0);
    cr_assert_eq(ftruncate(fd, (off_t)WA_SOURCE_MAX + 1), 0); /* sparse: no disk used */
    cr_assert_eq(close(fd), 0);
    wa_source *s = (wa_source *)1;
    cr_assert_eq(wa_source_read(path, &s, diags), WA_EINVALID);
    cr_assert_null(s);
    expect_only(WA_EINVALID, path, 1, 1, "file is too large (16777217 bytes; the limit is 16 MiB)");
    cr_assert_null(wa_diagnostics_get(diags, 0)->source_line);
}

Test(source, accepts_exactly_16_MiB)
{
    /* A file of exactly the limit gets past the size check: its zeros are then refused as
       a NUL byte, at the first one. */
    char path[128];
    snprintf(path, sizeof path, "%s/limit.yaml", dir);
    int fd = open(path, O_CREAT | O_WRONLY, 0600);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, "a: 1\n", 5), 5);
    cr_assert_eq(ftruncate(fd, (off_t)WA_SOURCE_MAX), 0);
    cr_assert_eq(close(fd), 0);
    wa_source *s = (wa_source *)1;
    cr_assert_eq(wa_source_read(path, &s, diags), WA_EINVALID);
    cr_assert_null(s);
    expect_only(WA_EINVALID, path, 2, 1, "file is not text: NUL byte at line 2, column 1");
}

Test(source, refuses_an_endless_stream)
{
    wa_source *s = (wa_source *)1;
    cr_assert_eq(wa_source_read("/dev/zero", &s, diags), WA_EINVALID);
    cr_assert_null(s);
    expect_only(WA_EINVALID, "/dev/zero", 1, 1,
                "file is too large (more than 16777216 bytes; the limit is 16 MiB)");
}

Test(source, refuses_a_buffer_over_16_MiB)
{
    size_t len = WA_SOURCE_MAX + 1;
    char *big = malloc(len);
    cr_assert_not_null(big);
    memset(big, 'a', len);
    refuse(big, len, 1, 1, "file is too large (16777217 bytes; the limit is 16 MiB)");
    free(big);
}

Test(source, refuses_a_NUL_byte_where_it_is)
{
    const char text[] = "a: 1\nb: \xC3\xA9\0x\n";
    refuse(text, sizeof text - 1, 2, 5, "file is not text: NUL byte at line 2, column 5");
    const wa_diagnostic *e = wa_diagnostics_get(diags, 0);
    cr_assert_str_eq(e->source_line, "b: \xC3\xA9"); /* the line, up to the NUL */
}

Test(source, refuses_control_characters)
{
    refuse("a: \x01\n", 5, 1, 4, "file is not text: control character U+0001 at line 1, column 4");
    wa_diagnostics_clear(diags);
    refuse("a\r\nb\x7F", 5, 2, 2, "file is not text: control character U+007F at line 2, column 2");
    wa_diagnostics_clear(diags);
    /* C1 controls other than NEL, and the two non-characters U+FFFE, U+FFFF */
    refuse("\xC2\x80", 2, 1, 1, "file is not text: control character U+0080 at line 1, column 1");
    wa_diagnostics_clear(diags);
    refuse("x\xEF\xBF\xBF", 4, 1, 2, "file is not text: control character U+FFFF at line 1, column 2");
}

Test(source, accepts_what_libyaml_reads)
{
    const char text[] = "\xEF\xBB\xBF" "a:\t\"\xC2\xA0\xC2\x85\xE2\x80\xA8\xEF\xBB\xBF"
                        "\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBD\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"\r\n";
    wa_source *s = NULL;
    cr_assert_eq(wa_source_from_buffer(text, sizeof text - 1, "t.yaml", &s, diags), WA_OK);
    cr_assert_eq(wa_diagnostics_count(diags), 0);
    wa_source_free(s);
}

Test(source, refuses_invalid_UTF8_where_it_is)
{
    refuse("x: caf\xE9\n", 8, 1, 7, "file is not valid UTF-8");
    wa_diagnostics_clear(diags);
    refuse("\xC3\xA9\xC3\xA9\n\xC3\xA9\x80", 8, 2, 2, "file is not valid UTF-8"); /* stray continuation */
    wa_diagnostics_clear(diags);
    refuse("a\xC0\xAF", 3, 1, 2, "file is not valid UTF-8"); /* overlong '/' */
    wa_diagnostics_clear(diags);
    refuse("a\xE0\x80\xAF", 4, 1, 2, "file is not valid UTF-8"); /* overlong, 3 bytes */
    wa_diagnostics_clear(diags);
    refuse("ab\xED\xA0\x80", 5, 1, 3, "file is not valid UTF-8"); /* surrogate U+D800 */
    wa_diagnostics_clear(diags);
    refuse("\xF4\x90\x80\x80", 4, 1, 1, "file is not valid UTF-8"); /* U+110000 */
    wa_diagnostics_clear(diags);
    refuse("\xF8\x88\x80\x80\x80", 5, 1, 1, "file is not valid UTF-8"); /* 5-byte form */
    wa_diagnostics_clear(diags);
    refuse("ok\n\xE2\x82", 5, 2, 1, "file is not valid UTF-8"); /* truncated at the end */
}

Test(source, refuses_UTF16_by_name)
{
    refuse("\xFF\xFE" "a\0:\0", 6, 1, 1, "file is UTF-16 (byte order mark FF FE); save it as UTF-8");
    wa_diagnostics_clear(diags);
    refuse("\xFE\xFF\0a", 4, 1, 1, "file is UTF-16 (byte order mark FE FF); save it as UTF-8");
}

Test(source, counts_columns_in_characters_after_a_BOM)
{
    /* The BOM takes no column, and é is one column of two bytes, as in libyaml's marks. */
    refuse("\xEF\xBB\xBF\xC3\xA9\x01", 6, 1, 2,
           "file is not text: control character U+0001 at line 1, column 2");
    cr_assert_str_eq(wa_diagnostics_get(diags, 0)->source_line, "\xC3\xA9\x01");
}

Test(source, splits_lines_where_libyaml_does)
{
    /* LF, CR LF, a lone CR, NEL, LS and PS all end a line. */
    const char text[] = "\xEF\xBB\xBF" "one\ntwo\r\nthree\rfour\xC2\x85" "five\xE2\x80\xA8six"
                        "\xE2\x80\xA9\n";
    wa_source *s = NULL;
    cr_assert_eq(wa_source_from_buffer(text, sizeof text - 1, "t.yaml", &s, diags), WA_OK);
    static const char *const want[] = {"one", "two", "three", "four", "five", "six", "", ""};
    for (int i = 0; i < 8; i++) {
        size_t len;
        const char *l = wa_source_line(s, i + 1, &len);
        cr_assert_not_null(l, "line %d", i + 1);
        cr_assert_eq(len, strlen(want[i]), "line %d", i + 1);
        cr_assert_eq(memcmp(l, want[i], len), 0, "line %d", i + 1);
    }
    size_t len = 7;
    cr_assert_null(wa_source_line(s, 9, &len));
    cr_assert_eq(len, 0);
    cr_assert_null(wa_source_line(s, 0, &len));
    cr_assert_null(wa_source_line(s, -1, &len));
    cr_assert_null(wa_source_line(NULL, 1, &len));
    wa_source_free(s);
}

Test(source, names_a_buffer_in_its_diagnostics)
{
    wa_source *s = NULL;
    cr_assert_eq(wa_source_from_buffer("a: 1", 4, NULL, &s, diags), WA_OK);
    cr_assert_str_eq(s->name, "");
    cr_assert_str_eq(s->text, "a: 1");
    wa_source_free(s);
    cr_assert_eq(wa_source_from_buffer(NULL, 0, "t.yaml", &s, diags), WA_OK);
    cr_assert_eq(s->len, 0);
    wa_source_free(s);
}

Test(source, rejects_impossible_arguments)
{
    wa_source *s = (wa_source *)1;
    cr_assert_eq(wa_source_read(NULL, &s, diags), WA_EUSAGE);
    cr_assert_null(s);
    cr_assert_eq(wa_source_from_buffer(NULL, 3, "t.yaml", &s, diags), WA_EUSAGE);
    cr_assert_null(s);
    cr_assert_eq(wa_source_read("x", NULL, diags), WA_EUSAGE);
    cr_assert_eq(wa_diagnostics_count(diags), 2);
    cr_assert_str_eq(wa_diagnostics_get(diags, 0)->message, "no file name given");
    cr_assert_eq(wa_diagnostics_get(diags, 0)->code, WA_EUSAGE);
    cr_assert_str_eq(wa_diagnostics_get(diags, 1)->message, "no text given");
}
