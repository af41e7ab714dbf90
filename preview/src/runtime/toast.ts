// Stand-in for `lightning/platformShowToastEvent`. In Lightning Experience the container catches
// the event and shows a toast; in the preview the page shell (installToasts) catches it and shows
// it with the real `lightning/toast` base component, so the toast looks as it does in an org.
import Toast from 'lightning/toast';

export interface ShowToastEventInit {
  title?: string;
  message?: string;
  messageData?: Array<string | { url: string; label: string }>;
  variant?: 'info' | 'success' | 'warning' | 'error';
  mode?: 'dismissible' | 'pester' | 'sticky';
}

const EVENT_NAME = 'lightning__showtoast';

export class ShowToastEvent extends CustomEvent<ShowToastEventInit> {
  constructor(init: ShowToastEventInit) {
    super(EVENT_NAME, { bubbles: true, composed: true, cancelable: true, detail: init });
  }
}

/** `{0}` placeholders of the message filled from messageData, as the platform's toast does. */
function fill(message: string, data: ShowToastEventInit['messageData']): string {
  return message.replace(/\{(\d+)\}/g, (all, index: string) => {
    const item = data?.[Number(index)];
    if (item === undefined) return all;
    return typeof item === 'string' ? item : item.label;
  });
}

/**
 * Shows every ShowToastEvent a component dispatches as a lightning toast. lightning/toast's own
 * container listens for the same event name on document.body (with its own detail shape), so the
 * component's event is caught on window in the capture phase and goes no further.
 */
export function installToasts(): void {
  window.addEventListener(
    EVENT_NAME,
    (event) => {
      // Not `instanceof ShowToastEvent`: synthetic shadow replaces the global CustomEvent with a
      // constructor that returns a plain CustomEvent, so subclass instances lose their class.
      // lightning/toast's own event carries the Toast class in `detail.toast`; ours never does.
      const detail = (event as CustomEvent<(ShowToastEventInit & { toast?: unknown }) | null>).detail;
      if (!detail || detail.toast) return;
      event.stopPropagation();
      Toast.show({
        label: detail.title || detail.message || '',
        message: detail.title ? fill(detail.message ?? '', detail.messageData) : '',
        variant: detail.variant ?? 'info',
        // Platform toasts default to dismissible (closing by themselves); lightning/toast to sticky.
        mode: detail.mode ?? 'dismissible',
      });
    },
    true,
  );
}
