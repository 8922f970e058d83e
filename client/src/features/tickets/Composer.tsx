// The reply box under a ticket's timeline. Agents switch between a public reply and an internal
// note (coloured differently, so a note is never posted publicly by mistake), mention teammates
// with @, and attach files, which upload at once with progress and can be removed before sending.
import {
  useEffect,
  useId,
  useRef,
  useState,
  type ChangeEvent,
  type ClipboardEvent,
  type DragEvent,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { useMutation } from '@apollo/client/react';
import { AddCommentDocument } from '../../gql/graphql';
import { graphQLErrorMessage } from '../../app/errors';
import { fileSize } from '../../shared/format/time';
import {
  AlertIcon,
  Button,
  CloseIcon,
  FileIcon,
  Kbd,
  LockIcon,
  MessageIcon,
  PaperclipIcon,
  SendIcon,
  cx,
} from '../../shared/ui';
import { encodeMentions } from '../../shared/mentions/mention-syntax';
import { MentionSuggestions } from '../../shared/mentions/MentionSuggestions';
import {
  useMentionAutocomplete,
  type MentionCandidate,
  type MentionDraft,
} from '../../shared/mentions/useMentionAutocomplete';
import type { TimelineEvent } from './timeline-model';
import { uploadAttachment, type UploadedFile } from './uploads';

export type ComposerKind = 'reply' | 'note';

interface Upload {
  key: string;
  file: File;
  progress: number;
  state: 'uploading' | 'done' | 'failed';
  result?: UploadedFile;
  error?: string;
  abort?: () => void;
  preview?: string;
}

/** Unsent text per ticket and kind, kept while the agent looks at other tickets. */
const drafts = new Map<string, MentionDraft>();

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export interface ComposerProps {
  ticketId: string;
  /** `agent`: reply/note toggle and mentions; `customer`: a plain reply box. */
  audience: 'agent' | 'customer';
  mentionables?: readonly MentionCandidate[];
  requesterName?: string | null;
  /** Called with the new event as soon as the server has it. */
  onSent(event: TimelineEvent): void;
  /** True while the box holds unsent text (for "… is typing"). */
  onTypingChange?(typing: boolean): void;
  /** A line above the box (who is typing). */
  status?: ReactNode;
  hint?: ReactNode;
}

export function Composer({
  ticketId,
  audience,
  mentionables = [],
  requesterName,
  onSent,
  onTypingChange,
  status,
  hint,
}: ComposerProps) {
  const [kind, setKind] = useState<ComposerKind>('reply');
  const draftKey = `${ticketId}:${kind}`;
  const [draft, setDraft] = useState<MentionDraft>(() => drafts.get(draftKey) ?? { text: '', picked: [] });
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const [addComment, { loading: sending }] = useMutation(AddCommentDocument);
  const hintId = useId();

  const updateDraft = (next: MentionDraft) => {
    setDraft(next);
    if (next.text) drafts.set(draftKey, next);
    else drafts.delete(draftKey);
  };

  const mentions = useMentionAutocomplete({
    people: mentionables,
    enabled: audience === 'agent',
    areaRef: textareaRef,
    draft,
    onDraftChange: updateDraft,
  });

  // Another ticket or kind: its own draft.
  const loadedKey = useRef(draftKey);
  useEffect(() => {
    if (loadedKey.current === draftKey) return;
    loadedKey.current = draftKey;
    setDraft(drafts.get(draftKey) ?? { text: '', picked: [] });
    mentions.close();
  }, [draftKey, mentions.close]);

  // Uploads belong to one ticket.
  useEffect(() => {
    setUploads([]);
    setError(null);
  }, [ticketId]);

  const hasText = draft.text.trim().length > 0;
  useEffect(() => {
    onTypingChange?.(hasText);
  }, [hasText, onTypingChange]);
  useEffect(() => () => onTypingChange?.(false), [onTypingChange]);

  // Grow with the text, up to a limit.
  useEffect(() => {
    const area = textareaRef.current;
    if (!area) return;
    area.style.height = 'auto';
    area.style.height = `${Math.min(area.scrollHeight + 2, 260)}px`;
  }, [draft.text]);

  const addFiles = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const key = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const preview = file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined;
      const handle = uploadAttachment(ticketId, file, (fraction) =>
        setUploads((all) => all.map((u) => (u.key === key ? { ...u, progress: fraction } : u))),
      );
      setUploads((all) => [...all, { key, file, progress: 0, state: 'uploading', abort: handle.abort, preview }]);
      handle.promise.then(
        (result) =>
          setUploads((all) =>
            all.map((u) => (u.key === key ? { ...u, state: 'done', progress: 1, result, abort: undefined } : u)),
          ),
        (failure: unknown) =>
          setUploads((all) =>
            all.map((u) =>
              u.key === key
                ? {
                    ...u,
                    state: 'failed',
                    abort: undefined,
                    error: failure instanceof Error ? failure.message : 'The upload failed',
                  }
                : u,
            ),
          ),
      );
    }
  };

  const removeUpload = (upload: Upload) => {
    upload.abort?.();
    if (upload.preview) URL.revokeObjectURL(upload.preview);
    setUploads((all) => all.filter((u) => u.key !== upload.key));
  };

  const uploading = uploads.some((u) => u.state === 'uploading');
  const ready = uploads.filter((u) => u.state === 'done' && u.result);
  const canSend = (hasText || ready.length > 0) && !uploading && !sending;

  const send = async () => {
    if (!canSend) return;
    setError(null);
    const body = encodeMentions(draft.text.trim(), draft.picked);
    try {
      const { data } = await addComment({
        variables: {
          input: {
            ticketId,
            body,
            internal: audience === 'agent' && kind === 'note',
            attachmentIds: ready.map((u) => u.result!.id),
          },
        },
      });
      if (!data) throw new Error('No answer from the server');
      for (const upload of uploads) if (upload.preview) URL.revokeObjectURL(upload.preview);
      setUploads([]);
      updateDraft({ text: '', picked: [] });
      onSent(data.addComment);
      textareaRef.current?.focus();
    } catch (failure) {
      setError(graphQLErrorMessage(failure) ?? 'Your message was not sent. Check your connection and try again.');
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mentions.onKeyDown(event)) return;
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void send();
    }
  };

  const onChange = (event: ChangeEvent<HTMLTextAreaElement>) => {
    updateDraft({ ...draft, text: event.target.value });
    mentions.refresh(event.target.value, event.target.selectionStart);
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    if (event.clipboardData.files.length > 0) {
      event.preventDefault();
      addFiles(event.clipboardData.files);
    }
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer.files.length > 0) addFiles(event.dataTransfer.files);
  };

  const note = audience === 'agent' && kind === 'note';
  const placeholder =
    audience === 'customer'
      ? 'Write a reply…'
      : note
        ? 'Write an internal note. Only your team can see it. Type @ to mention someone.'
        : `Reply to ${requesterName ?? 'the customer'}…`;

  return (
    <div className="sb-composer-wrap">
      {status}
      <div
        className={cx('sb-composer', note && 'sb-composer--note', dragging && 'sb-composer--drop')}
        onDragOver={(event) => {
          if (event.dataTransfer.types.includes('Files')) {
            event.preventDefault();
            setDragging(true);
          }
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        {audience === 'agent' && (
          <div className="sb-composer__modes" role="radiogroup" aria-label="Message type">
            <button
              type="button"
              role="radio"
              aria-checked={kind === 'reply'}
              className={cx('sb-composer__mode', kind === 'reply' && 'sb-composer__mode--reply')}
              onClick={() => setKind('reply')}
            >
              <MessageIcon size={14} />
              Reply
            </button>
            <button
              type="button"
              role="radio"
              aria-checked={kind === 'note'}
              className={cx('sb-composer__mode', kind === 'note' && 'sb-composer__mode--note')}
              onClick={() => setKind('note')}
            >
              <LockIcon size={14} />
              Internal note
            </button>
            <span className="sb-composer__audience" id={hintId}>
              {note ? (
                <>
                  <LockIcon size={12} /> Only agents see this
                </>
              ) : (
                <>Visible to {requesterName ?? 'the customer'}</>
              )}
            </span>
          </div>
        )}

        <MentionSuggestions autocomplete={mentions} />

        <textarea
          ref={textareaRef}
          className="sb-composer__input"
          value={draft.text}
          placeholder={placeholder}
          rows={2}
          aria-label={note ? 'Internal note' : 'Reply'}
          aria-describedby={audience === 'agent' ? hintId : undefined}
          aria-controls={mentions.open ? mentions.listId : undefined}
          aria-activedescendant={mentions.open ? mentions.optionId(mentions.activeIndex) : undefined}
          aria-autocomplete={audience === 'agent' ? 'list' : undefined}
          onChange={onChange}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onClick={(event) => mentions.refresh(event.currentTarget.value, event.currentTarget.selectionStart)}
          onBlur={mentions.close}
        />

        {uploads.length > 0 && (
          <ul className="sb-composer__files" aria-label="Attachments">
            {uploads.map((upload) => (
              <li key={upload.key} className={cx('sb-upload', `sb-upload--${upload.state}`)}>
                {upload.preview ? (
                  <img className="sb-upload__thumb" src={upload.preview} alt="" />
                ) : (
                  <span className="sb-upload__icon">
                    <FileIcon size={16} />
                  </span>
                )}
                <span className="sb-upload__text">
                  <span className="sb-upload__name" title={upload.file.name}>
                    {upload.file.name}
                  </span>
                  <span className="sb-upload__meta">
                    {upload.state === 'failed' ? (
                      <span className="sb-upload__error">{upload.error}</span>
                    ) : upload.state === 'uploading' ? (
                      `Uploading… ${Math.round(upload.progress * 100)}%`
                    ) : (
                      fileSize(upload.file.size)
                    )}
                  </span>
                  {upload.state === 'uploading' && (
                    <span
                      className="sb-upload__bar"
                      role="progressbar"
                      aria-label={`Uploading ${upload.file.name}`}
                      aria-valuemin={0}
                      aria-valuemax={100}
                      aria-valuenow={Math.round(upload.progress * 100)}
                    >
                      <span style={{ width: `${Math.round(upload.progress * 100)}%` }} />
                    </span>
                  )}
                </span>
                <button
                  type="button"
                  className="sb-icon-button sb-icon-button--sm"
                  aria-label={`Remove ${upload.file.name}`}
                  onClick={() => removeUpload(upload)}
                >
                  <CloseIcon size={14} />
                </button>
              </li>
            ))}
          </ul>
        )}

        <div className="sb-composer__footer">
          <input
            ref={fileRef}
            type="file"
            multiple
            hidden
            onChange={(event) => {
              if (event.target.files) addFiles(event.target.files);
              event.target.value = '';
            }}
          />
          <button
            type="button"
            className="sb-icon-button"
            aria-label="Attach files"
            title="Attach files"
            onClick={() => fileRef.current?.click()}
          >
            <PaperclipIcon size={18} />
          </button>
          <span className="sb-composer__hint">
            {hint ?? (
              <>
                <Kbd>{isMac ? '⌘' : 'Ctrl'}</Kbd>
                <Kbd>Enter</Kbd> to send
              </>
            )}
          </span>
          <Button
            variant="primary"
            className={cx('sb-composer__send', note && 'sb-composer__send--note')}
            icon={note ? <LockIcon size={15} /> : <SendIcon size={15} />}
            disabled={!canSend && !sending}
            loading={sending}
            onClick={() => void send()}
          >
            {audience === 'customer' ? 'Send' : note ? 'Add note' : 'Send reply'}
          </Button>
        </div>
      </div>
      {error && (
        <p className="sb-composer__error" role="alert">
          <AlertIcon size={14} />
          {error}
        </p>
      )}
    </div>
  );
}
