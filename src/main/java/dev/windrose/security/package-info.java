/**
 * Users, roles, API tokens and the audit log. This package is the module's API: the services and
 * records here are what views, controllers and other features use; entities and Spring Security
 * wiring live in {@code internal}.
 */
@NullMarked
package dev.windrose.security;

import org.jspecify.annotations.NullMarked;
