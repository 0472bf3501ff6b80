package dev.windrose.security.internal;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface UserRepository extends JpaRepository<UserEntity, Long> {

    Optional<UserEntity> findByUsername(String username);

    boolean existsByUsername(String username);

    List<UserEntity> findAllByOrderByUsernameAsc();

    @Query("select count(u) from UserEntity u join u.roles r where u.enabled = true and r = dev.windrose.security.Role.ADMIN")
    long countEnabledAdmins();
}
