// Great-circle distance, to sort places by proximity to the usager's address.

const EARTH_RADIUS_KM = 6371;

function toRadians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

/** Distance in kilometres between two WGS84 points (haversine). */
export function distanceKm(from: { latitude: number; longitude: number }, to: { latitude: number; longitude: number }): number {
  const dLat = toRadians(to.latitude - from.latitude);
  const dLon = toRadians(to.longitude - from.longitude);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(from.latitude)) * Math.cos(toRadians(to.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** "800 m", "12 km" — rounded for display. */
export function formatDistance(km: number): string {
  if (km < 1) return `${String(Math.max(100, Math.round(km * 10) * 100))} m`;
  return `${String(Math.round(km))} km`;
}
