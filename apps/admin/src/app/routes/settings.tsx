import { VenueSettings } from '@/features/venue/components/venue-settings';

export default function SettingsRoute() {
  return <VenueSettings />;
}
