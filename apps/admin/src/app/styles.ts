// The console uses most of Mantine: the whole sheet, once.
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@taproom/web-core/ui/skip-link.css';
import './app.css';
