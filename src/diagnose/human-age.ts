/**
 * How long ago, the way kubectl prints ages (`5m`, `2d3h`): the rules of apimachinery's `HumanDuration`
 * (https://github.com/kubernetes/apimachinery/blob/master/pkg/util/duration/duration.go), from a whole number of
 * seconds the report already holds, so rendering never reads a clock.
 */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/** `42s`, `5m30s`, `3h`, `2d3h`, `400d`, `3y20d`; `0s` for a negative or non-finite input. */
export function humanAge(seconds: number): string {
  const s = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  if (s < 2 * MINUTE) return `${s}s`;
  const minutes = Math.floor(s / MINUTE);
  if (minutes < 10) return join(minutes, 'm', s % MINUTE, 's');
  if (minutes < 3 * 60) return `${minutes}m`;
  const hours = Math.floor(s / HOUR);
  if (hours < 8) return join(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(s / DAY);
  if (hours < 8 * 24) return join(days, 'd', hours % 24, 'h');
  if (hours < 2 * 365 * 24) return `${days}d`;
  const years = Math.floor(s / YEAR);
  if (hours < 8 * 365 * 24) return join(years, 'y', days % 365, 'd');
  return `${years}y`;
}

function join(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit}${small}${smallUnit}`;
}
