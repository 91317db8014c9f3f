/*
 * load_floor.c — what loading a YAML file costs before any scenario is made of it: the
 * floors that bench/load_curve sets walkaway's `check` against.
 *
 *     load_floor events FILE     one pass over libyaml's events, keeping each scalar's text
 *                                and its line and column in one growing arena: the least
 *                                that any loader reporting line:column must hold, with no
 *                                tree and no model
 *     load_floor document FILE   libyaml's own document loader (yaml_parser_load): the tree
 *                                with positions that the YAML library itself builds
 *
 * Prints the count of scalars (events) or nodes (document); the time and peak memory are
 * the whole process's, taken by the caller (bench/timed.py, or /usr/bin/time -v).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            unsigned char *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = b;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Scalars as (line, column, length, text) records, packed one after another. */
static int events(const unsigned char *src, size_t len)
{
    yaml_parser_t p;
    yaml_event_t ev;
    size_t cap = 1 << 20, used = 0, count = 0;
    unsigned char *arena = malloc(cap);
    if (!arena || !yaml_parser_initialize(&p))
        return 1;
    yaml_parser_set_input_string(&p, src, len);
    for (int done = 0; !done;) {
        if (!yaml_parser_parse(&p, &ev)) {
            fprintf(stderr, "load_floor: YAML error: %s\n", p.problem ? p.problem : "?");
            return 1;
        }
        if (ev.type == YAML_SCALAR_EVENT) {
            size_t need = 12 + ev.data.scalar.length + 1;
            while (used + need > cap) {
                unsigned char *a = realloc(arena, cap *= 2);
                if (!a)
                    return 1;
                arena = a;
            }
            unsigned pos[3] = {(unsigned)ev.start_mark.line + 1, (unsigned)ev.start_mark.column + 1,
                               (unsigned)ev.data.scalar.length};
            memcpy(arena + used, pos, 12);
            memcpy(arena + used + 12, ev.data.scalar.value, ev.data.scalar.length + 1);
            used += need;
            count++;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    printf("%zu scalars in %zu bytes\n", count, used);
    free(arena);
    return 0;
}

static int document(const unsigned char *src, size_t len)
{
    yaml_parser_t p;
    yaml_document_t d;
    if (!yaml_parser_initialize(&p))
        return 1;
    yaml_parser_set_input_string(&p, src, len);
    if (!yaml_parser_load(&p, &d)) {
        fprintf(stderr, "load_floor: YAML error: %s\n", p.problem ? p.problem : "?");
        return 1;
    }
    printf("%td nodes\n", d.nodes.top - d.nodes.start);
    yaml_document_delete(&d);
    yaml_parser_delete(&p);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "events") && strcmp(argv[1], "document"))) {
        fprintf(stderr, "usage: load_floor events|document FILE\n");
        return 2;
    }
    size_t len;
    unsigned char *src = read_all(argv[2], &len);
    if (!src) {
        fprintf(stderr, "load_floor: cannot read %s\n", argv[2]);
        return 1;
    }
    int rc = strcmp(argv[1], "events") == 0 ? events(src, len) : document(src, len);
    free(src);
    return rc;
}
