package io.wagateway.media;

/** Why a download attempt failed, and whether trying again can help. The message never carries a secret. */
final class DownloadFailure extends RuntimeException {

    private final boolean permanent;

    private DownloadFailure(String reason, boolean permanent) {
        super(reason, null, false, false);
        this.permanent = permanent;
    }

    static DownloadFailure retryable(String reason) {
        return new DownloadFailure(reason, false);
    }

    static DownloadFailure permanent(String reason) {
        return new DownloadFailure(reason, true);
    }

    boolean permanent() {
        return permanent;
    }
}
