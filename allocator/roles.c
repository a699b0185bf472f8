/* roles.c: role names and the role tree relation (Mesos's src/common/roles.cpp).
 *
 * A role is a path: `eng/batch` lies below `eng`. Reservations and quota
 * follow the tree, so "is in the subtree of" is the one relation the rest of
 * the core asks about roles. */
#include <string.h>

#include "hdrf/resources.h"

bool hdrf_role_is_in_subtree(const char *role, const char *ancestor)
{
    size_t n = strlen(ancestor);
    return strncmp(role, ancestor, n) == 0 && (role[n] == '\0' || role[n] == '/');
}

static const char *component_invalid(const char *c, size_t n)
{
    if (n == 1 && c[0] == '.')
        return "a role component cannot be '.'";
    if (n == 2 && c[0] == '.' && c[1] == '.')
        return "a role component cannot be '..'";
    if (n == 1 && c[0] == '*')
        return "a role component cannot be '*'";
    if (c[0] == '-')
        return "a role component cannot start with '-'";
    for (size_t i = 0; i < n; i++)
        if (strchr(" \t\n\v\f\r\x7f", c[i]) && c[i] != '\0')
            return "a role cannot contain whitespace or DEL";
    return NULL;
}

const char *hdrf_role_invalid(const char *role)
{
    if (strcmp(role, "*") == 0)
        return NULL;
    if (role[0] == '\0')
        return "a role cannot be empty";
    if (role[0] == '/')
        return "a role cannot start with '/'";
    if (role[strlen(role) - 1] == '/')
        return "a role cannot end with '/'";
    if (strstr(role, "//"))
        return "a role cannot contain '//'";
    for (const char *c = role; *c;) {
        size_t n = strcspn(c, "/");
        const char *why = component_invalid(c, n);
        if (why)
            return why;
        c += n + (c[n] == '/');
    }
    return NULL;
}
