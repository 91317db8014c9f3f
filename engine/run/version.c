/*
 * version.c — the version of the library actually loaded (wa_version), which a program
 * compares with the WA_VERSION of the header it was compiled against; and what each
 * status means (wa_status_text).
 */
#include "walkaway.h"

const char *wa_version(void) { return WA_VERSION; }

int wa_version_number(void) { return WA_VERSION_NUMBER; }

const char *wa_status_text(wa_status st)
{
    switch (st) {
    case WA_OK:
        return "success";
    case WA_EINVALID:
        return "invalid scenario or failed run";
    case WA_EUSAGE:
        return "usage error";
    case WA_EIO:
        return "input or output error";
    case WA_ENOMEM:
        return "out of memory";
    case WA_ECANCELLED:
        return "cancelled";
    }
    return "unknown status";
}
