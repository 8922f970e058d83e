// Attachment uploads: `POST /attachments` (multipart, the session's bearer token), with progress.
import { session } from '../../app/session';

export interface UploadedFile {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
}

export interface UploadHandle {
  promise: Promise<UploadedFile>;
  abort(): void;
}

export class UploadError extends Error {}

function isUploadedFile(value: unknown): value is UploadedFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['id'] === 'string' && typeof v['filename'] === 'string' && typeof v['url'] === 'string';
}

function errorMessage(body: unknown, status: number): string {
  if (typeof body === 'object' && body !== null && 'errors' in body && Array.isArray(body.errors)) {
    const first: unknown = body.errors[0];
    if (typeof first === 'object' && first !== null && 'message' in first && typeof first.message === 'string') {
      return first.message;
    }
  }
  if (status === 413) return 'This file is too large';
  return status === 0 ? 'The upload was interrupted. Check your connection.' : 'The upload failed';
}

/** Uploads one file for a ticket; `onProgress` gets 0…1 as bytes leave the browser. */
export function uploadAttachment(ticketId: string, file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadedFile>((resolve, reject) => {
    const form = new FormData();
    form.append('ticketId', ticketId);
    form.append('file', file, file.name);
    xhr.open('POST', '/attachments');
    const token = session.token;
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body: unknown = xhr.response;
      if (xhr.status === 401 && token && session.token === token) session.end('expired');
      if (xhr.status >= 200 && xhr.status < 300 && isUploadedFile(body)) {
        onProgress(1);
        resolve(body);
      } else {
        reject(new UploadError(errorMessage(body, xhr.status)));
      }
    };
    xhr.onerror = () => reject(new UploadError(errorMessage(null, 0)));
    xhr.onabort = () => reject(new UploadError('Cancelled'));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
