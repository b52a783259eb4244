// The queue's calls (预约, 取号, 叫号) through the typed client's middleware: every failure is an ApiError in the host's words.
import { ApiError, problemMessage } from './api';

export interface Slot { start: string; end: string; left: number }
export interface Booking { id: string; code: string; hallId: string; hallName: string; matterCode: string; matterName: string; start: string; end: string; status: string; statusName: string; canCancel: boolean }
export interface NamedItem { id: string; name: string }
export interface BookingOptions { halls: NamedItem[]; matters: NamedItem[] }
export interface TicketTaken { id: string; number: string; matterName: string; takenAt: string; ahead: number; slotStart?: string | null }
export interface Ticket { id: string; number: string; matterCode: string; matterName: string; takenAt: string; status: string; booked: boolean; due: boolean; windowName?: string | null; calledAt?: string | null; waitMinutes?: number | null }
export interface QueueWindow { id: string; name: string; matters: string[]; open: boolean }
export interface HallQueue { hallId: string; hallName: string; windows: QueueWindow[]; waiting: Ticket[]; calls: Ticket[] }
export interface TicketAcceptance { ticketId: string; number: string; matterCode: string; matterName: string; bookingCode?: string | null; applicantName?: string | null; applicantIdType?: string | null; applicantIdNumber?: string | null }
export interface CaseTicket { number: string; bookingCode?: string | null; windowName?: string | null; takenAt: string; calledAt?: string | null; waitMinutes?: number | null }
export interface Screen { hallName: string; at: string; calls: { number: string; windowName: string; at: string }[]; waiting: number; byMatter: { matterName: string; count: number }[] }
export interface Hall { id: string; name: string; periods?: string | null; slotMinutes?: number | null; capacity?: number | null; windows: QueueWindow[] }
export interface QueueFigure { name: string; served: number; averageWaitMinutes?: number | null; maxWaitMinutes?: number | null; skipped: number; noShows: number }
export interface QueueFiguresData { halls: QueueFigure[]; matters: QueueFigure[] }

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, '无法连接服务器，请检查网络后重试');
  }
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const { message, fields } = problemMessage(response.status, json);
    throw new ApiError(response.status, message, fields);
  }
  return json as T;
}

export const queueApi = {
  options: () => call<BookingOptions>('GET', '/api/my/bookings/options'),
  slots: (hall: string, matter: string, days = 5) => call<Slot[]>('GET', `/api/my/bookings/slots?hall=${encodeURIComponent(hall)}&matter=${encodeURIComponent(matter)}&days=${days}`),
  mine: () => call<Booking[]>('GET', '/api/my/bookings'),
  book: (hallId: string, matterCode: string, start: string) => call<Booking>('POST', '/api/my/bookings', { hallId, matterCode, start }),
  cancel: (id: string) => call<Booking>('POST', `/api/my/bookings/${id}/cancel`),
  halls: () => call<Hall[]>('GET', '/api/halls'),
  setBooking: (hall: string, periods: string, slotMinutes: number, capacity: number) => call<Hall>('PUT', `/api/halls/${hall}/booking`, { periods, slotMinutes, capacity }),
  addWindow: (hall: string, name: string) => call<QueueWindow>('POST', `/api/halls/${hall}/windows`, { name, matters: [], open: true }),
  setWindow: (hall: string, w: QueueWindow) => call<QueueWindow>('PUT', `/api/halls/${hall}/windows/${w.id}`, { name: w.name, matters: w.matters, open: w.open }),
  take: (hall: string, body: { bookingCode?: string; matterCode?: string }) => call<TicketTaken>('POST', `/api/halls/${hall}/tickets`, body),
  queue: (hall: string) => call<HallQueue>('GET', `/api/halls/${hall}/queue`),
  callNext: (hall: string, windowId: string) => call<Ticket>('POST', `/api/halls/${hall}/calls`, { windowId }),
  act: (ticket: string, action: 'recall' | 'skip' | 'start') => call<Ticket>('POST', `/api/tickets/${ticket}/${action}`),
  acceptance: (ticket: string) => call<TicketAcceptance>('GET', `/api/tickets/${ticket}/acceptance`),
  screen: (hall: string) => call<Screen>('GET', `/api/halls/${hall}/screen`),
  figures: () => call<QueueFiguresData>('GET', '/api/queue/figures'),
  caseTicket: async (caseId: string) => (await call<CaseTicket | undefined>('GET', `/api/cases/${caseId}/ticket`)) ?? null,
};

/** The hall a window clerk works in (their department), when it is a hall. */
export const hallOf = (halls: Hall[] | undefined, department: string | null | undefined) => halls?.find((h) => h.name === department);

// Halls keep China time whatever the browser's zone: a slot at 10:00 in 深圳 reads 10:00 on every device.
const inChina = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
/** The day of a moment in China time (YYYY-MM-DD). */
export const hallDay = (iso: string) => inChina(iso).slice(0, 10);
/** The time of a moment in China time (HH:mm). */
export const hallTime = (iso: string) => inChina(iso).slice(11, 16);
