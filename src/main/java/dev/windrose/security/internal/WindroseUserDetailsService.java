package dev.windrose.security.internal;

import dev.windrose.security.UserService;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

@Component
class WindroseUserDetailsService implements UserDetailsService {

    private final UserRepository users;

    WindroseUserDetailsService(UserRepository users) {
        this.users = users;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        String normalized;
        try {
            normalized = UserService.normalizeUsername(username);
        } catch (RuntimeException malformed) {
            throw new UsernameNotFoundException("no such user");
        }
        return users.findByUsername(normalized).map(WindrosePrincipal::of)
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }
}
