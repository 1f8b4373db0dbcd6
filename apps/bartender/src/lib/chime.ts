/**
 * A short two-tone chime made with the Web Audio API (no audio files). Browsers only let a page
 * make sound after a tap, so {@link Chime.enable} must run in a click handler.
 */
class Chime {
  private context: AudioContext | null = null;

  get enabled(): boolean {
    const state = this.context?.state;
    return state !== undefined && state !== 'closed';
  }

  async enable(): Promise<void> {
    this.context ??= new AudioContext();
    await this.context.resume();
    this.play();
  }

  disable(): void {
    const context = this.context;
    this.context = null;
    void context?.close();
  }

  play(): void {
    const context = this.context;
    if (context?.state !== 'running') return;
    const start = context.currentTime;
    this.tone(context, 880, start, 0.16);
    this.tone(context, 1320, start + 0.2, 0.22);
  }

  private tone(context: AudioContext, frequency: number, at: number, seconds: number): void {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + seconds);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + seconds + 0.02);
    oscillator.onended = () => {
      oscillator.disconnect();
      gain.disconnect();
    };
  }
}

/** The bar's one chime. */
export const chime = new Chime();
