// The console uses most of Mantine: the whole sheet, once.
import '@mantine/core/styles.css';
import './app.css';
