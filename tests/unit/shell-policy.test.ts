import { describe, expect, it } from 'vitest'
import { isAllowedExternalUrl, isAllowedRequestUrl, isDevServerUrl, isTrustedSenderFacts } from '../../src/main/shell/policy'

const trusted = { fromMainWindowContents: true, isMainFrame: true, frameUrl: 'app://workstation/index.html' }

describe('Electron shell security policy', () => {
  it('serves IPC only to our window\'s top frame showing our own page', () => {
    expect(isTrustedSenderFacts(trusted, undefined, true)).toBe(true)
    expect(isTrustedSenderFacts({ ...trusted, isMainFrame: false }, undefined, true)).toBe(false)
    expect(isTrustedSenderFacts({ ...trusted, fromMainWindowContents: false }, undefined, true)).toBe(false)
    expect(isTrustedSenderFacts({ ...trusted, frameUrl: 'https://evil.example/' }, undefined, true)).toBe(false)
    expect(isTrustedSenderFacts({ ...trusted, frameUrl: 'app://workstation.evil/x' }, undefined, true)).toBe(false)
    expect(isTrustedSenderFacts({ ...trusted, frameUrl: 'file:///etc/passwd' }, undefined, true)).toBe(false)
    expect(isTrustedSenderFacts({ ...trusted, frameUrl: undefined }, undefined, true)).toBe(false)
  })

  it('trusts the dev server only in development and only at its exact origin', () => {
    const dev = 'http://localhost:5173'
    expect(isDevServerUrl('http://localhost:5173/index.html', dev, false)).toBe(true)
    expect(isDevServerUrl('http://localhost:5173/index.html', dev, true)).toBe(false)
    expect(isDevServerUrl('http://localhost:5173.evil.example/', dev, false)).toBe(false)
    expect(isDevServerUrl('http://localhost:5174/', dev, false)).toBe(false)
    expect(isTrustedSenderFacts({ ...trusted, frameUrl: 'http://localhost:5173/' }, dev, false)).toBe(true)
  })

  it('lets the renderer load only our own pages: no remote content', () => {
    expect(isAllowedRequestUrl('app://workstation/assets/index.js', undefined, true)).toBe(true)
    expect(isAllowedRequestUrl('https://cdn.example/lib.js', undefined, true)).toBe(false)
    expect(isAllowedRequestUrl('http://127.0.0.1:8080/api', undefined, true)).toBe(false)
  })

  it('opens external links only for allow-listed https hosts', () => {
    const allowed = new Set(['docs.example.com'])
    expect(isAllowedExternalUrl('https://docs.example.com/help', allowed)).toBe(true)
    expect(isAllowedExternalUrl('http://docs.example.com/help', allowed)).toBe(false)
    expect(isAllowedExternalUrl('https://evil.example/', allowed)).toBe(false)
    expect(isAllowedExternalUrl('file:///etc/passwd', allowed)).toBe(false)
    expect(isAllowedExternalUrl('not a url', allowed)).toBe(false)
    expect(isAllowedExternalUrl('https://docs.example.com/help')).toBe(false) // the shipped list is empty
  })
})
