package io.wagateway.conversation;

/** PostgreSQL enum {@code whatsapp_session_state}: where a customer is in the shop conversation. */
public enum SessionState {
    IDLE,
    BROWSING_CATEGORIES,
    BROWSING_PRODUCTS,
    VIEWING_PRODUCT,
    VIEWING_CART,
    CHECKOUT,
    AWAITING_PAYMENT,
    HUMAN_HANDOFF
}
