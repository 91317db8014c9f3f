/*
 * version.c — the version of the library actually loaded (wa_version), which a program
 * compares with the WA_VERSION of the header it was compiled against.
 */
#include "walkaway.h"

const char *wa_version(void) { return WA_VERSION; }

int wa_version_number(void) { return WA_VERSION_NUMBER; }
