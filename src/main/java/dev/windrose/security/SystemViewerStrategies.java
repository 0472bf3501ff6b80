package dev.windrose.security;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.stereotype.Component;

/** Tells {@link SystemViewer} this application's security-context strategy, once every bean exists. */
@Component
class SystemViewerStrategies implements SmartInitializingSingleton, DisposableBean {

    private final ObjectProvider<SecurityContextHolderStrategy> strategies;
    private SecurityContextHolderStrategy registered = SecurityContextHolder.getContextHolderStrategy();

    SystemViewerStrategies(ObjectProvider<SecurityContextHolderStrategy> strategies) {
        this.strategies = strategies;
    }

    @Override
    public void afterSingletonsInstantiated() {
        registered = strategies.getIfAvailable(SecurityContextHolder::getContextHolderStrategy);
        SystemViewer.register(registered);
    }

    @Override
    public void destroy() {
        SystemViewer.unregister(registered);
    }
}
