// A small multipart/form-data parser, enough for the file upload endpoint (field "httpFiles").
import { badRequest } from './envelope';
import { UploadedFile } from './api/context';

export function boundaryOf(contentType: string): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

/** Returns the parts that are files (parts with a filename); plain fields are ignored. */
export function parseMultipart(body: Buffer, boundary: string): UploadedFile[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const files: UploadedFile[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) throw badRequest('malformed multipart body: boundary not found');
  for (;;) {
    start += delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break; // closing delimiter
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw badRequest('malformed multipart body: missing closing boundary');
    // A part is CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
    const part = body.subarray(start + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw badRequest('malformed multipart body: part without headers');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const field = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (field !== undefined && filename !== undefined) {
      const contentType = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() || 'application/octet-stream';
      files.push({ field, filename, contentType, bytes: Buffer.from(part.subarray(headerEnd + 4)) });
    }
    start = next;
  }
  return files;
}
