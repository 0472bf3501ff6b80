import '@vaadin/vertical-layout/src/vaadin-vertical-layout.js';
import '@vaadin/app-layout/src/vaadin-app-layout.js';
import '@vaadin/scroller/src/vaadin-scroller.js';
import '@vaadin/side-nav/src/vaadin-side-nav.js';
import '@vaadin/side-nav/src/vaadin-side-nav-item.js';
import '@vaadin/tooltip/src/vaadin-tooltip.js';
import '@vaadin/icons/vaadin-iconset.js';
import '@vaadin/icon/src/vaadin-icon.js';
import '@vaadin/horizontal-layout/src/vaadin-horizontal-layout.js';
import '@vaadin/app-layout/src/vaadin-drawer-toggle.js';
import '@vaadin/button/src/vaadin-button.js';
import 'Frontend/generated/jar-resources/disableOnClickFunctions.js';
import '@vaadin/avatar/src/vaadin-avatar.js';
import 'Frontend/generated/jar-resources/menubarConnector.js';
import 'Frontend/generated/jar-resources/contextMenuConnector.js';
import '@vaadin/menu-bar/src/vaadin-menu-bar.js';
import '@vaadin/context-menu/src/vaadin-context-menu.js';
import 'Frontend/generated/jar-resources/flow-component-renderer.js';
import 'Frontend/generated/jar-resources/flow-component-directive.js';
import 'Frontend/generated/jar-resources/contextMenuTargetConnector.js';
import '@vaadin/card/src/vaadin-card.js';
import '@vaadin/login/src/vaadin-login-form.js';
import '@vaadin/text-field/src/vaadin-text-field.js';
import '@vaadin/password-field/src/vaadin-password-field.js';
import '@vaadin/common-frontend/ConnectionIndicator.js';
import 'Frontend/generated/jar-resources/ReactRouterOutletElement.tsx';

const loadOnDemand = (key) => {
  const pending = [];
  if (key === 'e8b971ba6cfce68b847cb47ee2dfebed89a207036df8613641c98b6035397385') {
    pending.push(import('./chunks/chunk-cecd84a58f879ffd884c862ff6bee4411e7cac1817545a7c25a108e4733c0dd3.js'));
  }
  if (key === 'd4fac3122782009f44ca4042a2d860250e8d4a55e53de891c75a98a3de3e68fc') {
    pending.push(import('./chunks/chunk-3611ad2c89cef07fdd6a0e9d6441adbd92b0db69cdd0cd4349c4578de92b0636.js'));
  }
  if (key === 'd0b1213a76037d2f1fc1aaa64bae7893b83b73acee62662f4bbc86f3f20a3ed5') {
    pending.push(import('./chunks/chunk-89323c8376c17a56c7c26902c4f866a79781ef13cce11e504617b1c57f9ec34f.js'));
  }
  if (key === 'c9ec422eb85015e7cf69a6c47855bef40c2ebf3b32dd16f4985f2c6285e5d33a') {
    pending.push(import('./chunks/chunk-3f08f943d4c609d0edc0d311b75985b7aea2ae201af887c57f42bb8101cf0105.js'));
  }
  return Promise.all(pending);
}

window.Vaadin = window.Vaadin || {};
window.Vaadin.Flow = window.Vaadin.Flow || {};
window.Vaadin.Flow.loadOnDemand = loadOnDemand;
window.Vaadin.Flow.resetFocus = () => {
 let ae=document.activeElement;
 while(ae&&ae.shadowRoot) ae = ae.shadowRoot.activeElement;
 return !ae || ae.blur() || ae.focus() || true;
}